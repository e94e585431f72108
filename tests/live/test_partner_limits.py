"""Partner keys and rate limits across two app server processes sharing PostgreSQL and Redis."""

import json
import os
import random

import pytest

from api.partners.provisioning import api_key_issue, api_key_revoke, partner_create
from tests.live.conftest import AppServer

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def limited_pair(services, django_db_setup):
    """Two app servers with a small anonymous allowance per IP, started once for the module."""
    servers = [
        AppServer(
            redis_url=os.environ["REDIS_URL"], extra_env={"API_ANONYMOUS_RATE": "5/day"}
        ).start()
        for _ in range(2)
    ]
    yield servers
    for server in servers:
        server.stop()


def statuses(servers, path, count, headers_for):
    """`count` requests alternating between the servers; their status codes in order."""
    codes = []
    for number in range(count):
        server = servers[number % len(servers)]
        response = server.get(path, headers_for(number))
        if response.status == 429:
            body = json.loads(response.body)
            assert body["error"]["code"] == "throttled"
            assert int(response.headers["Retry-After"]) >= 1
        codes.append(response.status)
    return codes


def test_a_partner_limit_holds_in_total_across_processes(limited_pair, transactional_db, journal):
    servers = limited_pair
    partner = partner_create(name="Two-node partner", rate_limit="6/day")
    key = api_key_issue(partner=partner, name="web")[1]

    codes = statuses(servers, "/api/v1/topics/", 10, lambda n: {"Authorization": f"Api-Key {key}"})

    assert codes == [200] * 6 + [429] * 4


def test_an_anonymous_limit_holds_across_processes_despite_forged_forwarding(app_servers, journal):
    servers = app_servers(2, API_ANONYMOUS_RATE="5/day")
    rng = random.Random(7)

    def forged(_number):
        return {"X-Forwarded-For": f"{rng.randrange(1, 255)}.{rng.randrange(255)}.0.1"}

    codes = statuses(servers, "/api/v1/topics/", 9, forged)

    assert codes == [200] * 5 + [429] * 4


def test_a_revoked_key_fails_at_once_on_every_process(limited_pair, transactional_db, journal):
    servers = limited_pair
    partner = partner_create(name="Revoked partner")
    record, key = api_key_issue(partner=partner, name="web")
    headers = {"Authorization": f"Api-Key {key}"}
    assert [server.get("/api/v1/topics/", headers).status for server in servers] == [200, 200]

    api_key_revoke(api_key=record)

    for server in servers:
        response = server.get("/api/v1/topics/", headers)
        assert response.status == 401
        assert json.loads(response.body)["error"]["code"] == "invalid_api_key"
