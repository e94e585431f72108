"""Property test of delta sync: after any sequence of editorial operations, a client that
applied every sync page holds exactly the visible set (seeded, so every failure replays)."""

import random

import pytest

from articles.models import ArticlePage, Series
from tests.api.test_sync import apply, listed_ids, reorder, restrict, sync_to_end
from tests.factories import publish, series_with_members

pytestmark = pytest.mark.django_db

STEPS = 20


def summary_state(client) -> dict[int, dict]:
    """The visible set with each article's summary, as the list shows it now."""
    from tests.api.conftest import get_json

    state, params = {}, {"limit": 100}
    while True:
        body = get_json(client, "/api/v1/articles/", **params)
        state.update({item["id"]: item for item in body["results"]})
        if body["next"] is None:
            return state
        params["cursor"] = body["next"].split("cursor=")[1]


def describe_difference(held: dict, visible: dict) -> str:
    stale = {
        pk: {k: (held[pk][k], visible[pk][k]) for k in visible[pk] if held[pk][k] != visible[pk][k]}
        for pk in set(held) & set(visible)
        if held[pk] != visible[pk]
    }
    return (
        f"missing {sorted(set(visible) - set(held))}, extra {sorted(set(held) - set(visible))}, "
        f"stale {stale}"
    )


class Editor:
    """Random editorial operations on a small journal; each picks its target at random."""

    def __init__(self, rng: random.Random, make_article, journal):
        self.rng = rng
        self.make_article = make_article
        self.journal = journal
        self.counter = 0

    def articles(self, **filters) -> list[ArticlePage]:
        return list(ArticlePage.objects.filter(**filters).order_by("pk"))

    def publish_new(self):
        self.counter += 1
        self.make_article(slug=f"random-{self.counter}", days=self.rng.randint(1, 60))

    def edit(self):
        if live := self.articles(live=True):
            article = self.rng.choice(live)
            article.summary = f"Edited {self.rng.random()}"
            publish(article)

    def unpublish(self):
        if live := self.articles(live=True):
            self.rng.choice(live).unpublish()

    def republish(self):
        if gone := self.articles(live=False):
            publish(self.rng.choice(gone))

    def delete(self):
        if every := self.articles():
            self.rng.choice(every).delete()

    def restrict(self):
        if candidates := self.articles(live=True, view_restrictions__isnull=True):
            restrict(self.rng.choice(candidates))

    def unrestrict(self):
        if restricted := self.articles(view_restrictions__isnull=False):
            self.rng.choice(restricted).view_restrictions.all().delete()

    def reorder(self):
        series = Series.objects.first()
        if series is None:
            return
        members = [m.article for m in series.members.all()]
        self.rng.shuffle(members)
        reorder(series, members)

    def operations(self):
        return [
            self.publish_new,
            self.edit,
            self.unpublish,
            self.republish,
            self.delete,
            self.restrict,
            self.unrestrict,
            self.reorder,
        ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_editorial_histories_sync_to_exactly_the_visible_set(
    api, make_article, journal, seed
):
    rng = random.Random(seed)
    articles = [make_article(slug=f"seed-{n}", days=n) for n in range(6)]
    series_with_members(*articles[:4])
    editor = Editor(rng, make_article, journal)

    pages, token = sync_to_end(api)
    client_copy = apply({}, pages)
    assert client_copy == summary_state(api)

    history = []
    for _ in range(STEPS):
        operation = rng.choice(editor.operations())
        history.append(operation.__name__)
        operation()

        pages, token = sync_to_end(api, token, limit=rng.choice([1, 3, 100]))
        apply(client_copy, pages)

        # Exactly the visible set, with each summary as it is now (series positions included).
        expected = summary_state(api)
        assert client_copy == expected, (
            f"seed {seed}, after {history}: {describe_difference(client_copy, expected)}"
        )
    assert set(client_copy) == listed_ids(api)
    assert len(set(history)) > 4, "the seed exercised too few kinds of operation"
