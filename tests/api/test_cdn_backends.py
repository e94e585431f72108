"""CDN purge targets: the exact request each sends, how keys are chunked, and every failure.

A recorder on loopback stands in for a Varnish node, Fastly's API and Cloudflare's API: it
records each request as it arrived and answers as a test scripts it.
"""

import logging
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from api.delivery.cdn.backends import (
    Cloudflare,
    Fastly,
    PurgeFailed,
    VarnishNode,
    chunks,
    configured_targets,
    target_named,
)
from tests.purge_recorder import Answer

TOKEN = "tok-3c9f1e7a2b-secret"  # distinctive, so its absence from messages means something
CLOUDFLARE_OK = b'{"success": true, "errors": [], "messages": [], "result": {"id": "z1"}}'


@pytest.fixture(autouse=True)
def _timeout(settings):
    settings.CDN_PURGE_TIMEOUT = 5.0


def every_target(url: str) -> list:
    return [VarnishNode(url), Fastly("svc1", TOKEN, url), Cloudflare("zone1", TOKEN, url)]


TARGET_KINDS = ["varnish", "fastly", "cloudflare"]


def target_of(kind: str, url: str):
    return dict(zip(TARGET_KINDS, every_target(url), strict=True))[kind]


class TestVarnishNode:
    def test_purges_with_one_purge_request_listing_the_keys_in_xkey(self, recorder):
        VarnishNode(recorder.url).purge(["article-7", "articles", "topic-sleep"])

        [request] = recorder.requests
        assert request.method == "PURGE"
        assert request.path == "/"
        assert request.headers["xkey"] == "article-7 articles topic-sleep"
        assert request.headers["user-agent"] == "Folio-Purge/1.0"

    def test_is_named_after_its_base_url(self):
        assert VarnishNode("http://10.0.0.1:6081/").name == "varnish http://10.0.0.1:6081"
        assert VarnishNode("http://10.0.0.1:6081").name == "varnish http://10.0.0.1:6081"

    def test_a_refusal_from_outside_its_acl_fails_with_the_status_and_the_answer(self, recorder):
        recorder.answer(status=403, body=b"Forbidden: not in the purge ACL")

        with pytest.raises(PurgeFailed) as failed:
            VarnishNode(recorder.url).purge(["articles"])

        assert failed.value.status == 403
        assert failed.value.target == f"varnish {recorder.url}"
        assert "HTTP 403" in str(failed.value)
        assert "not in the purge ACL" in str(failed.value)

    @pytest.mark.parametrize("status", [204, 404, 500, 503])
    def test_only_200_is_success(self, recorder, status):
        recorder.answer(status=status, body=b"")

        with pytest.raises(PurgeFailed, match=f"HTTP {status}"):
            VarnishNode(recorder.url).purge(["articles"])

    def test_a_redirect_is_not_followed_but_fails(self, recorder):
        recorder.answer(status=301, location=f"{recorder.url}/elsewhere", body=b"")

        with pytest.raises(PurgeFailed, match="HTTP 301"):
            VarnishNode(recorder.url).purge(["articles"])

        assert [request.path for request in recorder.requests] == ["/"]

    def test_many_keys_go_in_requests_whose_xkey_header_stays_under_6000_bytes(self, recorder):
        node = VarnishNode(recorder.url)
        keys = [f"article-{number:05d}" for number in range(1000)]  # 13 bytes each

        for chunk in chunks(node, keys):
            node.purge(chunk)

        headers = [request.headers["xkey"] for request in recorder.requests]
        assert len(headers) == 3
        assert all(len(header.encode()) < 6000 for header in headers)
        assert [key for header in headers for key in header.split(" ")] == keys


class TestFastly:
    def test_posts_the_keys_to_the_services_purge_endpoint_with_its_key(self, recorder):
        Fastly("svc1", TOKEN, recorder.url, soft=False).purge(["article-7", "articles"])

        [request] = recorder.requests
        assert request.method == "POST"
        assert request.path == "/service/svc1/purge"
        assert request.headers["fastly-key"] == TOKEN
        assert request.headers["accept"] == "application/json"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["user-agent"] == "Folio-Purge/1.0"
        assert "fastly-soft-purge" not in request.headers
        assert request.json == {"surrogate_keys": ["article-7", "articles"]}

    def test_a_soft_purge_says_so_in_its_header(self, recorder):
        Fastly("svc1", TOKEN, recorder.url, soft=True).purge(["articles"])

        [request] = recorder.requests
        assert request.headers["fastly-soft-purge"] == "1"

    def test_300_keys_take_two_requests_of_at_most_256(self, recorder):
        fastly = Fastly("svc1", TOKEN, recorder.url)
        keys = [f"article-{number}" for number in range(300)]

        for chunk in chunks(fastly, keys):
            fastly.purge(chunk)

        sent = [request.json["surrogate_keys"] for request in recorder.requests]
        assert [len(keys_sent) for keys_sent in sent] == [256, 44]
        assert sorted(key for keys_sent in sent for key in keys_sent) == sorted(keys)

    @pytest.mark.parametrize(
        ("status", "body", "reason"),
        [
            (500, b'{"msg": "internal error"}', "HTTP 500"),
            (401, b'{"msg": "Provided credentials are missing or invalid"}', "HTTP 401"),
            (200, b"<html>not json</html>", "without a JSON object"),
            (200, b'["a list"]', "without a JSON object"),
        ],
    )
    def test_anything_but_a_json_200_fails_without_revealing_the_token(
        self, recorder, status, body, reason
    ):
        recorder.answer(status=status, body=body)

        with pytest.raises(PurgeFailed) as failed:
            Fastly("svc1", TOKEN, recorder.url).purge(["articles"])

        assert failed.value.status == status
        assert reason in str(failed.value)
        assert TOKEN not in str(failed.value)

    def test_a_token_echoed_in_the_answer_is_struck_from_the_message(self, recorder):
        recorder.answer(status=403, body=f'{{"msg": "bad key {TOKEN}"}}'.encode())

        with pytest.raises(PurgeFailed) as failed:
            Fastly("svc1", TOKEN, recorder.url).purge(["articles"])

        assert TOKEN not in str(failed.value)
        assert "bad key [token]" in str(failed.value)

    def test_its_repr_leaves_the_token_out(self, recorder):
        assert TOKEN not in repr(Fastly("svc1", TOKEN, recorder.url))


class TestCloudflare:
    def test_posts_the_tags_to_the_zones_purge_cache_endpoint_with_a_bearer_token(self, recorder):
        recorder.answer(body=CLOUDFLARE_OK)

        Cloudflare("zone1", TOKEN, recorder.url).purge(["article-7", "articles"])

        [request] = recorder.requests
        assert request.method == "POST"
        assert request.path == "/zones/zone1/purge_cache"
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["user-agent"] == "Folio-Purge/1.0"
        assert request.json == {"tags": ["article-7", "articles"]}

    def test_the_api_url_may_carry_a_path(self, recorder):
        recorder.answer(body=CLOUDFLARE_OK)

        Cloudflare("zone1", TOKEN, f"{recorder.url}/client/v4/").purge(["articles"])

        assert recorder.requests[0].path == "/client/v4/zones/zone1/purge_cache"

    def test_keys_go_in_requests_of_at_most_100_tags(self, recorder):
        recorder.default = Answer(body=CLOUDFLARE_OK)
        cloudflare = Cloudflare("zone1", TOKEN, recorder.url)
        keys = [f"article-{number}" for number in range(250)]

        for chunk in chunks(cloudflare, keys):
            cloudflare.purge(chunk)

        assert [len(request.json["tags"]) for request in recorder.requests] == [100, 100, 50]

    def test_success_false_fails_with_cloudflares_errors(self, recorder):
        recorder.answer(
            body=b'{"success": false, "errors": [{"code": 1134, "message": "Rate limited"}]}'
        )

        with pytest.raises(PurgeFailed) as failed:
            Cloudflare("zone1", TOKEN, recorder.url).purge(["articles"])

        assert failed.value.status == 200
        assert '"success": true' in str(failed.value)
        assert "Rate limited" in str(failed.value)
        assert TOKEN not in str(failed.value)

    @pytest.mark.parametrize(
        ("status", "body"),
        [
            (200, b"{not json"),
            (200, b'{"errors": []}'),
            (403, b'{"success": false, "errors": [{"code": 10000, "message": "Auth"}]}'),
            (500, b"upstream error"),
        ],
    )
    def test_anything_but_200_with_success_true_fails(self, recorder, status, body):
        recorder.answer(status=status, body=body)

        with pytest.raises(PurgeFailed) as failed:
            Cloudflare("zone1", TOKEN, recorder.url).purge(["articles"])

        assert failed.value.status == status
        assert TOKEN not in str(failed.value)


class TestUnanswered:
    @pytest.mark.parametrize("kind", TARGET_KINDS)
    def test_a_refused_connection_fails_as_a_network_error(self, closed_url, kind):
        with pytest.raises(PurgeFailed) as failed:
            target_of(kind, closed_url).purge(["articles"])

        assert failed.value.status is None
        assert "network error" in str(failed.value)
        assert TOKEN not in str(failed.value)

    @pytest.mark.parametrize("kind", TARGET_KINDS)
    def test_an_answer_slower_than_the_timeout_fails(self, recorder, settings, kind):
        settings.CDN_PURGE_TIMEOUT = 0.3
        recorder.answer(sleep=2.0, body=CLOUDFLARE_OK)
        started = time.monotonic()

        with pytest.raises(PurgeFailed, match=r"timed out after 0\.3 s") as failed:
            target_of(kind, recorder.url).purge(["articles"])

        assert time.monotonic() - started < 1.5
        assert failed.value.status is None


class TestLogging:
    def test_each_request_is_logged_with_its_outcome_and_never_the_token(self, recorder, caplog):
        caplog.set_level(logging.INFO, logger="folio.api.cdn")
        recorder.answer(status=500, body=b"oops")

        with pytest.raises(PurgeFailed):
            Fastly("svc1", TOKEN, recorder.url).purge(["a", "b"])
        Fastly("svc1", TOKEN, recorder.url).purge(["a", "b", "c"])

        messages = [r.getMessage() for r in caplog.records if r.name == "folio.api.cdn"]
        assert len(messages) == 2
        assert messages[0].startswith("purge fastly: 2 keys, HTTP 500, ")
        assert messages[1].startswith("purge fastly: 3 keys, HTTP 200, ")
        assert all(message.endswith(" ms") for message in messages)
        assert not any(TOKEN in message for message in messages)


class TestChunks:
    def test_keys_are_sorted_and_each_sent_once(self):
        fastly = Fastly("svc1", TOKEN)

        assert chunks(fastly, ["series", "articles", "series", "article-2"]) == [
            ["article-2", "articles", "series"]
        ]

    def test_no_keys_make_no_chunks(self):
        assert chunks(VarnishNode("http://10.0.0.1:6081"), []) == []

    def test_every_chunk_respects_both_limits(self):
        node = VarnishNode("http://10.0.0.1:6081")
        keys = [f"topic-{'x' * (number % 90)}-{number}" for number in range(2000)]

        split = chunks(node, keys)

        assert [key for chunk in split for key in chunk] == sorted(set(keys))
        assert all(len(chunk) <= node.max_keys for chunk in split)
        assert all(len(" ".join(chunk).encode()) < node.max_bytes for chunk in split)

    @pytest.mark.parametrize(
        "key", ["", "two words", "a,b", "tab\there", "line\nbreak", "topic-café"]
    )
    def test_a_key_that_cannot_be_sent_is_refused(self, key):
        with pytest.raises(ValueError, match="not a surrogate key"):
            chunks(VarnishNode("http://10.0.0.1:6081"), ["articles", key])

    def test_a_key_longer_than_a_whole_request_is_refused(self):
        with pytest.raises(ValueError, match="longer than"):
            chunks(VarnishNode("http://10.0.0.1:6081"), ["k" * 6000])


class TestConfiguredTargets:
    def test_no_backend_no_targets(self, settings):
        settings.CDN_BACKEND = ""

        assert configured_targets() == []

    def test_varnish_is_one_target_per_node(self, settings):
        settings.CDN_BACKEND = "varnish"
        settings.CDN_VARNISH_URLS = ["http://10.0.0.1:6081", "http://10.0.0.2:6081/"]

        targets = configured_targets()

        assert targets == [VarnishNode("http://10.0.0.1:6081"), VarnishNode("http://10.0.0.2:6081")]
        assert [target.name for target in targets] == [
            "varnish http://10.0.0.1:6081",
            "varnish http://10.0.0.2:6081",
        ]

    def test_fastly_is_one_target_with_the_settings(self, settings):
        settings.CDN_BACKEND = "fastly"
        settings.CDN_FASTLY_SERVICE_ID = "svc1"
        settings.CDN_FASTLY_API_TOKEN = TOKEN
        settings.CDN_FASTLY_API_URL = "https://fastly.test"
        settings.CDN_FASTLY_SOFT_PURGE = True

        assert configured_targets() == [Fastly("svc1", TOKEN, "https://fastly.test", True)]

    def test_cloudflare_is_one_target_with_the_settings(self, settings):
        settings.CDN_BACKEND = "cloudflare"
        settings.CDN_CLOUDFLARE_ZONE_ID = "zone1"
        settings.CDN_CLOUDFLARE_API_TOKEN = TOKEN
        settings.CDN_CLOUDFLARE_API_URL = "https://cloudflare.test/client/v4"

        assert configured_targets() == [
            Cloudflare("zone1", TOKEN, "https://cloudflare.test/client/v4")
        ]

    def test_half_configured_settings_are_refused(self, settings):
        settings.CDN_BACKEND = "cloudflare"
        settings.CDN_CLOUDFLARE_ZONE_ID = "zone1"
        settings.CDN_CLOUDFLARE_API_TOKEN = ""

        with pytest.raises(ImproperlyConfigured, match="CDN_CLOUDFLARE_API_TOKEN"):
            configured_targets()

    def test_a_target_is_found_by_the_name_the_queue_stored(self, settings):
        settings.CDN_BACKEND = "varnish"
        settings.CDN_VARNISH_URLS = ["http://10.0.0.1:6081", "http://10.0.0.2:6081"]

        assert target_named("varnish http://10.0.0.2:6081") == VarnishNode("http://10.0.0.2:6081")
        assert target_named("varnish http://10.0.0.3:6081") is None
        assert target_named("fastly") is None

    def test_a_target_no_longer_configured_is_not_found(self, settings):
        settings.CDN_BACKEND = ""

        assert target_named("varnish http://10.0.0.1:6081") is None
