"""Search on PostgreSQL: our statement over the index gives the order Wagtail's backend gives."""

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import PageViewRestriction, Site

from api.content.search import ranked_article_ids
from articles.models import ArticlePage
from articles.selectors import visibility_of_site, visible_articles
from tests.api.conftest import get_json
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db

# Paragraphs that mention the words a varying number of times, in varying fields, so that
# the ranking (title weight and norm, body frequency) has something to order.
TEXTS = [
    ("Ketamine clinics are spreading", "Ketamine clinics: who runs them.", "ketamine " * 2),
    ("Esketamine nasal spray", "A ketamine relative.", "ketamine therapy " * 6),
    ("Anaesthesia, briefly", "How surgery sleeps.", "ketamine once, then propofol " * 1),
    ("Therapy for depression", "Talking and more.", "therapy depression " * 4),
    ("Depression and sleep", "Two-way street.", "sleep depression ketamine " * 3),
    ("Sleep hygiene", "Routines that work.", "sleep " * 9),
    ("Migraine with aura", "What the aura is.", "migraine aura " * 5),
    ("Headache diaries", "Track to treat.", "migraine " * 1 + "headache " * 7),
    ("Ketamine for depression: the trials", "Evidence so far.", "ketamine depression " * 8),
    ("Regenerative medicine", "Stem cells and hype.", "therapy " * 2),
]


@pytest.fixture
def corpus(make_article):
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL (DATABASE_URL): the statement under test is PostgreSQL's")
    made = [
        make_article(
            title=title,
            summary=summary,
            body=[("paragraph", f"<p>{body} Filler about health and care.</p>")],
        )
        for title, summary, body in TEXTS
    ]
    call_command("update_index", verbosity=0)
    return made


def backend_order(articles, words: str) -> list[int]:
    """The order of Wagtail's own search backend: the independent reference."""
    candidates = ArticlePage.objects.filter(pk__in=articles.values("pk"))
    return [hit.pk for hit in candidates.search(words, order_by_relevance=True)[:100]]


@pytest.mark.parametrize(
    "words", ["ketamine", "depression", "ketamine depression", "sleep", "therapy", "migraine"]
)
def test_the_order_is_the_search_backends_order(corpus, words):
    articles = visible_articles(visibility_of_site(Site.objects.get(is_default_site=True)))

    ours = ranked_article_ids(articles, words, offset=0, limit=100)

    assert len(ours) >= 2
    assert ours == backend_order(articles, words)


def test_pages_follow_on_without_gaps_or_repeats(corpus):
    articles = visible_articles(visibility_of_site(Site.objects.get(is_default_site=True)))
    whole = ranked_article_ids(articles, "ketamine", offset=0, limit=100)

    pages = [ranked_article_ids(articles, "ketamine", offset=n, limit=2) for n in range(0, 8, 2)]

    assert [pk for page in pages for pk in page] == whole


def test_a_hidden_article_is_never_a_result(api, corpus):
    hidden = corpus[0]  # the best match for "ketamine"
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)

    results = get_json(api, "/api/v1/articles/", search="ketamine", limit=100)["results"]

    assert results
    assert hidden.pk not in [item["id"] for item in results]


def test_filters_narrow_the_matches(api, corpus):
    wanted = [corpus[1].pk, corpus[4].pk]

    ids = ",".join(map(str, wanted))
    results = get_json(api, "/api/v1/articles/", search="ketamine", id=ids)["results"]

    assert sorted(item["id"] for item in results) == sorted(wanted)


def test_a_long_bodys_vector_is_kept_in_the_index_row(make_article):
    """Migration api/0006: a ranked search reads each match's vector without a TOAST probe.

    The body's plain text (EXTENDED) is moved out of a row that outgrows 4 kB; the vector
    (MAIN) stays, so the row holds a vector several kilobytes long.
    """
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL (DATABASE_URL): TOAST storage is PostgreSQL's")
    words = " ".join(f"word{n} lexeme{n * 7} term{n * 13}" for n in range(220))
    article = make_article(body=[("paragraph", f"<p>{words}</p>")])
    call_command("update_index", verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(body) FROM wagtailsearch_indexentry WHERE object_id = %s",
            [str(article.pk)],
        )
        (vector_size,) = cursor.fetchone()
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute"
            " WHERE attrelid = 'wagtailsearch_indexentry'::regclass"
            " AND attname IN ('title', 'body')"
        )
        storage = dict(cursor.fetchall())
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'wagtailsearch_indexentry'")
        (options,) = cursor.fetchone()

    assert vector_size > 2500  # beyond PostgreSQL's default threshold, which toasts it
    assert storage == {"title": "m", "body": "m"}
    assert "toast_tuple_target=4096" in options
