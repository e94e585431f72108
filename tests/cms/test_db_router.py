"""The read-replica router: API reads go to the replica, the admin and transactions do not."""

from django.db import transaction
from django.test import RequestFactory

from api.models import Partner
from cms.db_routers import REPLICA, ApiReadsOnReplicaMiddleware, ReadReplicaRouter


def routed(method: str, path: str, *, in_transaction: bool = False) -> str | None:
    """The alias the router picks for a read made while serving `method path`."""
    seen = {}

    def view(request):
        if in_transaction:
            with transaction.atomic():
                seen["alias"] = ReadReplicaRouter().db_for_read(Partner)
        else:
            seen["alias"] = ReadReplicaRouter().db_for_read(Partner)
        return None

    ApiReadsOnReplicaMiddleware(view)(getattr(RequestFactory(), method)(path))
    return seen["alias"]


def test_api_and_feed_reads_go_to_the_replica():
    assert routed("get", "/api/v1/articles/") == REPLICA
    assert routed("head", "/feeds/articles.rss") == REPLICA


def test_the_admin_and_writes_read_from_the_primary(db):
    assert routed("get", "/admin/pages/") is None
    assert routed("post", "/api/v1/articles/") is None


def test_reads_inside_a_transaction_stay_on_the_primary(db):
    assert routed("get", "/api/v1/articles/", in_transaction=True) is None


def test_outside_a_request_everything_is_on_the_primary():
    router = ReadReplicaRouter()
    assert router.db_for_read(Partner) is None
    assert router.db_for_write(Partner) is None
    assert router.allow_migrate("default", "api") and not router.allow_migrate(REPLICA, "api")
