"""Fill a fresh worker's per-process memos before it serves, so its first request costs no more."""

import logging
import threading
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import DisallowedHost
from django.db import connections
from django.http import HttpRequest
from wagtail.models import Site

from api.content.visibility import visibility_for

logger = logging.getLogger("folio.warmup")

# Each host costs two small queries; the site rule memo keeps 256 entries in all.
MAX_HOSTS = 32
# The arbiter kills a worker that has not checked in within gunicorn's `timeout` (30 s), and
# /healthz must answer even when the database does not: a hung warm-up is left behind.
TIMEOUT_SECONDS = 5.0


def warm_up(*, server_port: str = "80", timeout: float = TIMEOUT_SECONDS) -> bool:
    """Warm this process's memos, waiting at most `timeout` seconds; never raises.

    Returns whether the warm-up finished. One that fails is logged and the worker serves
    anyway: each memo then fills on the first request that needs it, as it would without.
    """
    finished = threading.Event()
    thread = threading.Thread(
        target=_warm_up, args=(server_port, finished), name="folio-warm-up", daemon=True
    )
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        logger.warning("worker warm-up still running after %.0f s; serving anyway", timeout)
    return finished.is_set()


def _warm_up(server_port: str, finished: threading.Event) -> None:
    try:
        content_types_warm()
        hosts = site_rules_warm(server_port=server_port)
    except Exception:  # a cold memo costs a few queries; it must never cost the worker
        logger.warning("worker warm-up failed; memos fill on first use", exc_info=True)
        return
    finally:
        # This thread never serves: its connections would only linger until the worker exits.
        connections.close_all()
    finished.set()
    logger.info("worker warmed: content types, site rules for %s", ", ".join(hosts) or "no host")


def content_types_warm() -> None:
    """Django's ContentType cache (search, `Page.specific`) for every database alias.

    Only content types that exist are loaded: `get_for_models` would create missing ones, a
    write that is no business of a web worker starting up (and fails on a replica).
    """
    for alias in connections:
        manager = ContentType.objects.db_manager(alias)
        existing = set(manager.values_list("app_label", "model"))
        manager.get_for_models(*(m for m in apps.get_models() if _natural_key(m) in existing))


def _natural_key(model) -> tuple[str, str]:
    opts = model._meta.concrete_model._meta
    return opts.app_label, opts.model_name


def site_rules_warm(*, server_port: str) -> list[str]:
    """The site part of the visibility rule (articles/selectors/visibility.py) for every host the
    worker can expect: the public origin's, the explicit ALLOWED_HOSTS, each site's."""
    hosts = []
    for host in _expected_hosts():
        request = HttpRequest()  # what the site lookup reads of a request gunicorn hands over
        request.META = {"HTTP_HOST": host, "SERVER_PORT": server_port}
        try:
            request.get_host()
        except DisallowedHost:
            continue  # a request for it is refused before any lookup
        visibility_for(request)
        hosts.append(host)
    return hosts


def _expected_hosts() -> list[str]:
    candidates = [urlsplit(settings.PUBLIC_BASE_URL).netloc]
    candidates += [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    for hostname, port in Site.objects.values_list("hostname", "port"):
        candidates.append(hostname if port in (80, 443) else f"{hostname}:{port}")
    return list(dict.fromkeys(h for h in candidates if h))[:MAX_HOSTS]
