"""The edge case's editor: retitles a random article every second and times its staleness.

    DJANGO_SETTINGS_MODULE=cms.settings.production ... python -m bench.edge_editor SPEC OUT

Run by `bench.edge` as a subprocess with the benchmark's settings environment (its database,
its Redis, so the generation it bumps is the one gunicorn reads) and, for the edge run,
`CDN_BACKEND=varnish CDN_VARNISH_URLS=<node>`. SPEC (JSON) names the slugs to choose from, the
base URL to poll (the Varnish node, or gunicorn for the origin run), the headers the read mix
sends, the seconds to publish for, the interval and the seed. The editor prints `ready` once
Django is set up, and starts on a `go` line on stdin. Each second it publishes a new title of
one random article the way the admin does (`save_revision().publish()`, in a transaction),
notes the moment the transaction committed (an on-commit callback registered before any
other, so it runs before the purge is planned and sent), and from that callback a thread
polls the article's detail at the base URL every POLL_INTERVAL seconds, on its own connection,
until the body shows the new title: the staleness is that moment minus the commit. OUT gets
every sample; then `measured` is printed and, on a `restore` line, the original titles are
published again.
"""

import gzip
import http.client
import json
import random
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

POLL_INTERVAL = 0.025  # seconds between polls: the staleness is known to within this
POLL_GIVE_UP = 30.0  # seconds after the commit; a sample not seen by then is recorded as such
# The suffix this editor adds; stripped again so that titles never grow across runs.
SUFFIX = re.compile(r" \(edit [0-9A-Za-z-]+\)$")


def poll_until(spec: dict, slug: str, title: str, committed: float, sample: dict) -> None:
    """Poll the detail until it shows `title`; fill `sample` with what was seen and when."""
    parts = urlsplit(spec["base"])
    path = f"/api/v1/articles/{slug}/"
    connection = None
    polls, statuses, first_cache = 0, {}, None
    while True:
        now = time.monotonic()
        if now - committed > POLL_GIVE_UP:
            sample.update(seen=False, staleness_s=None)
            break
        try:
            if connection is None:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            # Exactly the read mix's headers: the same object in Varnish (its Vary variant).
            connection.putrequest("GET", path, skip_accept_encoding=True)
            for name, value in spec["headers"].items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            received = time.monotonic()
        except (OSError, http.client.HTTPException):
            statuses["error"] = statuses.get("error", 0) + 1
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(POLL_INTERVAL)
            continue
        polls += 1
        statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
        cache = response.getheader("X-Cache")
        first_cache = first_cache or cache
        if response.status == 200:
            if response.getheader("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if json.loads(body).get("title") == title:
                sample.update(
                    seen=True,
                    staleness_s=round(received - committed, 4),
                    seen_x_cache=cache,
                )
                break
        time.sleep(POLL_INTERVAL)
    if connection is not None:
        connection.close()
    sample.update(polls=polls, poll_statuses=statuses, first_x_cache=first_cache)


def publish(article, title: str, sample: dict, committed) -> None:
    """Publish `title` as an editor would; `committed()` runs first once the commit is done."""
    from django.db import transaction

    moment = {}

    def first_after_commit():
        moment["at"], moment["wall"] = time.monotonic(), time.time()
        committed(moment["at"])

    started = time.monotonic()
    with transaction.atomic():
        # Registered first, so it runs first after the commit, before the purge is planned.
        transaction.on_commit(first_after_commit)
        article.title = title
        article.draft_title = title
        revision = article.save_revision()
        revision.publish()
    finished = time.monotonic()
    sample.update(
        committed_at=moment["wall"],
        publish_ms=round((moment["at"] - started) * 1000, 1),
        # Everything run after the commit in this process: the generation bump, the purge
        # (planned, queued, and with the immediate task backend sent), other tasks.
        after_commit_ms=round((finished - moment["at"]) * 1000, 1),
    )


def purges_since(last_pk: int) -> list[dict]:
    """The purge rows written since `last_pk`: keys, and when each was sent (if it was)."""
    from api.models import EdgePurge

    rows = EdgePurge.objects.filter(pk__gt=last_pk).order_by("pk")
    return [
        {
            "pk": row.pk,
            "keys": row.keys,
            "status": row.status,
            "attempts": row.attempt_count,
            "created_at": row.created_at.timestamp(),
            "completed_at": row.completed_at.timestamp() if row.completed_at else None,
            "sent_after_queued_ms": round(
                (row.completed_at - row.created_at).total_seconds() * 1000, 1
            )
            if row.completed_at
            else None,
        }
        for row in rows
    ]


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(argv[0]).read_text())
    output = Path(argv[1])

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from api.models import EdgePurge
    from articles.models import ArticlePage

    chooser = random.Random(spec["seed"])  # noqa: S311 - which article to edit, not a secret
    slugs = sorted(spec["slugs"])
    start_pk = EdgePurge.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_pk = start_pk
    originals: dict[int, str] = {}
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return

    samples, pollers = [], []
    started = time.monotonic()
    for number in range(int(spec["seconds"] / spec["interval"])):
        # On a fixed schedule: a slow publish does not push the later ones back.
        time.sleep(max(0.0, started + number * spec["interval"] - time.monotonic()))
        slug = chooser.choice(slugs)
        article = ArticlePage.objects.get(slug=slug)
        base = SUFFIX.sub("", article.title)
        originals.setdefault(article.pk, base)
        title = f"{base} (edit {spec['run']}-{number})"
        sample = {"number": number, "slug": slug, "article": article.pk, "title": title}
        sample["at_s"] = round(time.monotonic() - started, 3)

        def start_polling(at, slug=slug, title=title, sample=sample):
            # At the commit, beside the purge: polls see the old title until the edge drops it.
            poller = threading.Thread(
                target=poll_until, args=(spec, slug, title, at, sample), daemon=True
            )
            poller.start()
            pollers.append(poller)

        publish(article, title, sample, start_polling)
        # The rows exist once the commit's callbacks have run, whichever task backend sends
        # them; they are read again at the end, once sent.
        rows = purges_since(last_pk)
        sample["purge_rows"] = [row["pk"] for row in rows]
        sample["purge_keys"] = sorted({key for row in rows for key in row["keys"]})
        last_pk = max([last_pk, *(row["pk"] for row in rows)])
        samples.append(sample)
    publishing_s = time.monotonic() - started
    for poller in pollers:
        poller.join(POLL_GIVE_UP + 15)
    # With the database task backend the worker may still be sending the last ones.
    time.sleep(2.0)
    purges = purges_since(start_pk)
    by_pk = {row["pk"]: row for row in purges}
    for sample in samples:
        # Where the staleness went: commit -> purge queued -> purge sent (-> seen).
        rows = [by_pk[pk] for pk in sample["purge_rows"] if pk in by_pk]
        if rows:
            sample["queued_after_commit_ms"] = round(
                (min(row["created_at"] for row in rows) - sample["committed_at"]) * 1000, 1
            )
            if all(row["completed_at"] for row in rows):
                sample["sent_after_commit_ms"] = round(
                    (max(row["completed_at"] for row in rows) - sample["committed_at"]) * 1000, 1
                )
    output.write_text(
        json.dumps(
            {
                "cdn_backend": settings.CDN_BACKEND,
                "cdn_varnish_urls": list(settings.CDN_VARNISH_URLS),
                "tasks_backend": settings.TASKS["default"]["BACKEND"],
                "publishing_s": round(publishing_s, 2),
                "samples": samples,
                "purges": purges,
            },
            indent=1,
        )
        + "\n"
    )
    print("measured", flush=True)
    if sys.stdin.readline().strip() == "restore":
        for pk, title in originals.items():
            article = ArticlePage.objects.get(pk=pk)
            if article.title != title:
                article.title = article.draft_title = title
                article.save_revision().publish()
        print(f"restored {len(originals)}", flush=True)
    connection.close()


if __name__ == "__main__":
    main()
