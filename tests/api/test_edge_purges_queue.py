"""Edge purges: once per node per transaction, retried until done, on the dashboard, paid CDNs."""

# ruff: noqa: F811  (the committed, edge and world fixtures come from edge_purge_support)

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from api.models import EdgePurge
from articles.models import Author, Topic
from tests.api.edge_purge_support import committed, edge, shown, world  # noqa: F401
from tests.factories import publish
from tests.purge_recorder import Answer, recorder_start, recorder_stop

pytestmark = pytest.mark.django_db


class TestQueue:
    def test_one_request_per_node_per_transaction(self, edge, world, committed):
        with committed(), transaction.atomic():
            for name in ("first", "second", "middle"):
                article = world[name]
                article.summary = "Edited together."
                publish(article)
            renamed = Author.objects.get(slug="the-author")
            renamed.name = "Renamed in the same transaction"
            renamed.save()

        assert len(edge.requests(0)) == len(edge.requests(1)) == 1
        assert edge.requests(0) == edge.requests(1)
        assert {f"article-{world[n].pk}" for n in ("first", "second", "middle")} <= edge.purged()
        assert EdgePurge.objects.filter(status=EdgePurge.Status.DONE).count() == 2

    def test_a_rolled_back_change_purges_nothing(self, edge, world, committed):
        with committed():
            try:
                with transaction.atomic():
                    first = world["first"]
                    first.title = "Never committed"
                    publish(first)
                    raise RuntimeError("the editor's save fails")
            except RuntimeError:
                pass

        assert edge.requests(0) == edge.requests(1) == []
        assert not EdgePurge.objects.exists()

        with committed():
            Topic.objects.get(slug="the-topic").save()

        # The next commit purges what it changed (and, harmlessly, what the failed one noted).
        assert {f"topic-{world['topic'].pk}", "topics", "articles"} <= edge.purged()

    def test_a_failed_node_is_retried_alone_until_it_succeeds(self, edge, world, committed):
        edge.nodes[1].answer(times=2, status=503, body=b"backend fetch failed")
        first = world["first"]
        first.title = "Retitled while node 2 is down"

        with committed():
            publish(first)

        assert EdgePurge.objects.get(target=f"varnish {edge.nodes[1].url}").status == "pending"
        assert EdgePurge.objects.get(target=f"varnish {edge.nodes[0].url}").status == "done"
        failed = EdgePurge.objects.get(target=f"varnish {edge.nodes[1].url}")
        assert failed.attempt_count == 1 and "503" in failed.last_error
        assert first.__class__.objects.get(pk=first.pk).title == "Retitled while node 2 is down"

        from api.delivery.cdn.purges import edge_purge_sweep

        for _attempt in range(2):  # still down once, then back
            EdgePurge.objects.filter(pk=failed.pk).update(
                next_attempt_at=timezone.now() - timedelta(minutes=5)
            )
            with committed():
                edge_purge_sweep()

        failed.refresh_from_db()
        assert failed.status == "done" and failed.attempt_count == 3
        assert len(edge.requests(1)) == 3 and edge.requests(1)[0] == edge.requests(1)[2]
        assert len(edge.requests(0)) == 1

    def test_nothing_is_queued_without_a_cdn(self, settings, world, committed):
        settings.CDN_BACKEND = ""
        first = world["first"]
        first.title = "No edge"

        with committed():
            publish(first)

        assert not EdgePurge.objects.exists()

    def test_cdn_purge_all_empties_every_node(self, edge, world):
        call_command("cdn_purge", "--all", verbosity=0)

        assert edge.requests(0) == edge.requests(1) == [{"folio"}]


class TestDeliveryHealth:
    def test_a_failing_node_shows_on_the_dashboard_with_its_error(
        self, client, superuser, edge, world, committed
    ):
        edge.nodes[1].answer(status=503, body=b"node in maintenance")
        first = world["first"]
        first.title = "Retitled"
        with committed():
            publish(first)
        client.force_login(superuser)

        page = client.get("/admin/").content.decode()

        assert 'data-folio-panel="edge-health"' in page
        assert 'data-failing="true"' in page
        assert "node in maintenance" in page
        assert edge.nodes[1].url in page


class TestPaidCdnApis:
    """Fastly and Cloudflare through the whole pipeline: an editor's change, their exact calls."""

    @pytest.fixture
    def api_recorder(self, settings, journal):
        running = recorder_start()
        yield running
        recorder_stop(running)

    def configure(self, settings, kind: str, url: str) -> None:
        settings.CDN_BACKEND = kind
        settings.CDN_PURGE_TIMEOUT = 2.0
        if kind == "fastly":
            settings.CDN_FASTLY_SERVICE_ID = "svc-folio"
            settings.CDN_FASTLY_API_TOKEN = "fastly-token"
            settings.CDN_FASTLY_API_URL = url
        else:
            settings.CDN_CLOUDFLARE_ZONE_ID = "zone-folio"
            settings.CDN_CLOUDFLARE_API_TOKEN = "cloudflare-token"
            settings.CDN_CLOUDFLARE_API_URL = url

    @pytest.mark.parametrize(
        ("kind", "path", "auth", "field"),
        [
            (
                "fastly",
                "/service/svc-folio/purge",
                ("fastly-key", "fastly-token"),
                "surrogate_keys",
            ),
            (
                "cloudflare",
                "/zones/zone-folio/purge_cache",
                ("authorization", "Bearer cloudflare-token"),
                "tags",
            ),
        ],
    )
    def test_a_publish_is_one_call_with_the_keys_and_a_5xx_is_retried(
        self, api, settings, api_recorder, make_article, committed, kind, path, auth, field
    ):
        ok = b'{"status": "ok"}' if kind == "fastly" else b'{"success": true, "errors": []}'
        api_recorder.default = Answer(body=ok)
        self.configure(settings, kind, api_recorder.url)
        with committed():
            article = make_article(slug="paid")
        api_recorder.requests.clear()
        shown_keys = shown(api, "/api/v1/articles/paid/")
        api_recorder.answer(status=503, body=b'{"msg": "try later"}')
        article.title = "Purged through the API"

        with committed():
            publish(article)

        (failed,) = api_recorder.requests
        assert (failed.method, failed.path) == ("POST", path)
        assert failed.headers[auth[0]] == auth[1]
        assert set(failed.json[field]) & shown_keys
        row = EdgePurge.objects.get(target=kind, status="pending")
        assert "503" in row.last_error
        EdgePurge.objects.filter(pk=row.pk).update(
            next_attempt_at=timezone.now() - timedelta(minutes=5)
        )
        from api.delivery.cdn.purges import edge_purge_sweep

        with committed():
            edge_purge_sweep()

        retried = api_recorder.requests[1]
        assert retried.path == path and retried.json == failed.json
        assert EdgePurge.objects.get(pk=row.pk).status == "done"
