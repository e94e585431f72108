"""Rate limits: per partner key at its own rate, per client IP for anonymous use, 429s."""

import itertools

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from api.partners.provisioning import api_key_issue, partner_create
from api.partners.throttling import window_hit
from tests.conftest import cache_clear

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)


@pytest.fixture
def address():
    """A client IP of this test's own, so counters in the shared cache never collide."""
    return f"203.0.113.{next(_addresses)}"


def client_from(address: str) -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address)


def assert_throttled(response):
    assert response.status_code == 429, response.content[:300]
    assert int(response["Retry-After"]) >= 1
    error = response.json()["error"]
    assert error["status"] == 429
    assert error["code"] == "throttled"
    assert "retry" in error["message"].lower()


class TestWindowCounter:
    def test_counts_up_to_the_limit_then_says_how_long_to_wait(self):
        ident = "unit:window"
        results = [window_hit(ident, limit=3, period=60, now=1_000_040.0) for _ in range(5)]
        assert results[:3] == [None, None, None]
        assert results[3] == pytest.approx(40.0)  # its window runs from 1_000_020 to 1_000_080
        assert results[4] == pytest.approx(40.0)

    def test_a_new_window_starts_from_zero(self):
        ident = "unit:next-window"
        for _ in range(3):
            window_hit(ident, limit=3, period=60, now=2_000_000.0)
        assert window_hit(ident, limit=3, period=60, now=2_000_000.0) is not None
        assert window_hit(ident, limit=3, period=60, now=2_000_060.0) is None


class TestPartnerRate:
    def test_each_partner_is_limited_at_its_own_rate(self, journal, address):
        slow = api_key_issue(partner=partner_create(name="Slow", rate_limit="2/day"), name="a")[1]
        fast = api_key_issue(partner=partner_create(name="Fast", rate_limit="5/day"), name="a")[1]
        client = client_from(address)

        slow_codes = [
            client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {slow}").status_code
            for _ in range(4)
        ]
        fast_codes = [
            client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {fast}").status_code
            for _ in range(6)
        ]

        assert slow_codes == [200, 200, 429, 429]
        assert fast_codes == [200] * 5 + [429]
        assert_throttled(client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {slow}"))

    def test_a_partner_key_is_not_limited_by_the_anonymous_rate(self, journal, address):
        key = api_key_issue(partner=partner_create(name="Big", rate_limit="50/day"), name="a")[1]
        client = client_from(address)
        with override_settings(API_ANONYMOUS_RATE="2/day"):
            codes = {
                client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code
                for _ in range(5)
            }
        assert codes == {200}

    def test_an_invalid_key_is_401_without_an_anonymous_limit(self, journal, address):
        client = client_from(address)
        for _ in range(3):
            response = client.get("/api/v1/topics/", HTTP_AUTHORIZATION="Api-Key nope")
            assert response.status_code == 401


@pytest.fixture
def anonymous_limit(settings):
    settings.API_ANONYMOUS_RATE = "3/day"
    settings.API_RESPONSE_CACHE = True


@pytest.mark.usefixtures("anonymous_limit")
class TestAnonymousRate:
    def test_the_fourth_request_from_one_ip_is_429(self, journal, address):
        client = client_from(address)
        codes = [client.get("/api/v1/topics/").status_code for _ in range(3)]
        assert codes == [200, 200, 200]
        assert_throttled(client.get("/api/v1/topics/"))
        # Another client is unaffected.
        assert client_from(address + "9").get("/api/v1/topics/").status_code == 200

    def test_refused_keys_count_against_the_ip_so_guessing_keys_is_throttled(
        self, journal, address
    ):
        client = client_from(address)
        guesses = [
            client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {guess}").status_code
            for guess in ("nope", "AbCdEfGh." + "x" * 32, "not-even-the-scheme")
        ]
        assert guesses == [401, 401, 401]
        assert_throttled(client.get("/api/v1/topics/", HTTP_AUTHORIZATION="Api-Key again"))
        # The feeds' ?api_key= is charged to the same allowance.
        assert_throttled(client.get("/feeds/articles.rss", {"api_key": "nope"}))
        # The IP's own anonymous requests share it: it is spent.
        assert_throttled(client.get("/api/v1/topics/"))
        # A partner's valid key is counted against the key, never the IP; other IPs are untouched.
        key = api_key_issue(partner=partner_create(name="Honest"), name="web")[1]
        assert client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200
        assert (
            client_from(address + "9")
            .get("/api/v1/topics/", HTTP_AUTHORIZATION="Api-Key nope")
            .status_code
            == 401
        )

    def test_answers_from_the_response_cache_count_too(self, journal, address):
        cache_clear()
        client = client_from(address)
        for _ in range(3):
            assert client.get("/api/v1/topics/").status_code == 200
        assert_throttled(client.get("/api/v1/topics/"))

    def test_a_forged_x_forwarded_for_does_not_reset_the_limit(self, journal, address):
        client = client_from(address)
        for number in range(3):
            response = client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
            assert response.status_code == 200
        for forged in ("10.0.0.99", "1.2.3.4, 5.6.7.8", address + "1"):
            assert_throttled(client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=forged))

    def test_behind_one_proxy_the_address_the_proxy_saw_is_counted(
        self, journal, address, settings
    ):
        proxy = client_from("192.0.2.1")
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        for number in range(3):
            # The client wrote the first entry; the proxy appended the real address.
            forwarded = f"10.9.9.{number}, {address}"
            response = proxy.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=forwarded)
            assert response.status_code == 200
        assert_throttled(proxy.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"10.9.9.77, {address}"))
        # A different real client behind the same proxy has its own allowance.
        other = proxy.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"10.9.9.1, {address}1")
        assert other.status_code == 200

    def test_every_endpoint_shares_one_allowance(self, journal, address):
        client = client_from(address)
        for path in ("/api/v1/topics/", "/api/v1/authors/", "/api/v1/series/"):
            assert client.get(path).status_code == 200
        assert_throttled(client.get("/api/v1/articles/"))


@pytest.mark.services
def test_on_redis_a_counter_expires_with_its_window(settings):
    from tests.conftest import service_missing

    if not settings.REDIS_URL:
        service_missing("Redis (REDIS_URL)")
    now = 3_000_000_030.0
    window_hit("ttl:probe", limit=5, period=60, now=now)
    window_hit("ttl:probe", limit=5, period=60, now=now)
    key = cache.make_and_validate_key(f"folio:throttle:ttl:probe:60:{int(now // 60)}")
    client = cache._cache.get_client(key)
    assert int(client.get(key)) == 2
    assert 0 < client.ttl(key) <= 61
