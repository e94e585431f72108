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
worker_class = "gthread"
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
