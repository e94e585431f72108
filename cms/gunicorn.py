"""gunicorn settings for two cores: a few sync workers with threads, sized from the environment."""

import multiprocessing
import os

# Without REDIS_URL the cache is local memory, private to each process; one process (with
# threads) keeps cache invalidation instant and consistent. With Redis, processes rather than
# threads (2 x cores + 1): a request is mostly Python, and threads of one process contend for
# the interpreter lock, which cost a fifth more CPU per request in the benchmark.
_shared_cache = bool(os.environ.get("REDIS_URL"))
_cores = multiprocessing.cpu_count()
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * _cores + 1 if _shared_cache else 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1 if _shared_cache else 4))
# gthread, with the API's JSON error body on what gunicorn refuses itself (400, 414, 431).
worker_class = "cms.gunicorn_worker.JsonErrorWorker"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# "-" logs requests to stdout; an empty value turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's defaults, stated here because docs/api.md promises them to clients: a longer
# request line (in bytes as sent, percent-encoding included) is a 414, a longer header field or
# more fields a 431, each with the JSON error body (cms/gunicorn_worker.py).
limit_request_line = 4094
limit_request_field_size = 8190
limit_request_fields = 100


def post_worker_init(worker):
    """Warm the fresh worker's per-process memos before it accepts its first request."""
    try:
        from api.content.warmup import warm_up

        ports = [s.getsockname()[1] for s in worker.sockets if isinstance(s.getsockname(), tuple)]
        warm_up(server_port=str(ports[0]) if ports else "80")
    except Exception:  # warming saves a few queries; it must never stop the worker
        worker.log.exception("worker warm-up failed")
