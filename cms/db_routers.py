"""Database routing: the API's reads to a read replica when one is configured.

With `DATABASE_REPLICA_URL` set, GET and HEAD requests to the API and the feeds read from the
`replica` alias; everything else (the admin, the task worker, any write, and any read inside a
transaction on the primary, such as a row locked for update) uses the primary (`default`), so
editors always see what they just saved.

The API's freshness promise (after a publish, no request anywhere serves the old content)
holds with a replica only if it applies commits before the primary acknowledges them
(`synchronous_commit = remote_apply`); an asynchronous replica can serve content as stale as
its lag. docs/deployment.md says so.
"""

from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"
_api_read: ContextVar[bool] = ContextVar("folio_api_read", default=False)


class ReadReplicaRouter:
    def db_for_read(self, model, **hints):
        if _api_read.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ApiReadsOnReplicaMiddleware:
    """Marks read-only API and feed requests, whose queries the router sends to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path.startswith(("/api/", "/feeds/")):
            token = _api_read.set(True)
            try:
                return self.get_response(request)
            finally:
                _api_read.reset(token)
        return self.get_response(request)
