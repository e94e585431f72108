"""Property test of delta sync: after any sequence of editorial operations, a client that
applied every sync page holds exactly the visible set (seeded, so every failure replays).

An anonymous client and a partner follow their own tokens: partners do not see unsyndicated
articles, so series positions differ between the two, and both must stay exact.
"""

import random

import pytest
from django.test import Client

from api.partners.provisioning import api_key_issue, partner_create
from articles.models import ArticlePage, Series, SeriesMember
from tests.api.sync_support import apply, listed_ids, reorder, restrict, sync_to_end
from tests.factories import publish, series_with_members

pytestmark = pytest.mark.django_db

STEPS = 30


def partner_client() -> Client:
    partner = partner_create(name="Random partner", rate_limit="100000/minute")
    key = api_key_issue(partner=partner, name="app")[1]
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {key}")


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

    def series(self) -> tuple[Series | None, list[ArticlePage]]:
        series = Series.objects.first()
        return series, [m.article for m in series.members.all()] if series else []

    def reorder(self):
        series, members = self.series()
        if series is not None:
            self.rng.shuffle(members)
            reorder(series, members)

    def move_one(self):
        # What an editor's drag does: one article to another place, the others shift.
        series, members = self.series()
        if len(members) > 1:
            article = members.pop(self.rng.randrange(len(members)))
            members.insert(self.rng.randrange(len(members) + 1), article)
            reorder(series, members)

    def swap_neighbours(self):
        series, members = self.series()
        if len(members) > 1:
            at = self.rng.randrange(len(members) - 1)
            members[at], members[at + 1] = members[at + 1], members[at]
            reorder(series, members)

    def move_member_row(self):
        # A member row saved on its own, outside a series save.
        if members := list(SeriesMember.objects.order_by("pk")):
            member = self.rng.choice(members)
            member.sort_order = self.rng.randint(-1, len(members))
            member.save()

    def join_series(self):
        series, members = self.series()
        outside = self.articles(series_memberships__isnull=True)
        if series is not None and outside:
            members.insert(self.rng.randrange(len(members) + 1), self.rng.choice(outside))
            series = Series.objects.get(pk=series.pk)
            held = {m.article_id: m for m in series.members.all()}
            rows = [held.get(a.pk) or SeriesMember(article=a) for a in members]
            for position, member in enumerate(rows):
                member.sort_order = position
            series.members = rows
            series.save_revision().publish()

    def leave_series(self):
        series, members = self.series()
        if members:
            members.pop(self.rng.randrange(len(members)))
            reorder(series, members)

    def rename_series(self):
        # Every member's summary shows the series' title.
        series, _ = self.series()
        if series is not None:
            series = Series.objects.get(pk=series.pk)
            series.title = f"Series {self.rng.random()}"
            series.save_revision().publish()

    def toggle_syndication(self):
        # Partners see the article, and its place in its series, or stop seeing them.
        if live := self.articles(live=True):
            article = self.rng.choice(live)
            article.syndication_allowed = not article.syndication_allowed
            publish(article)

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
            self.move_one,
            self.swap_neighbours,
            self.move_member_row,
            self.join_series,
            self.leave_series,
            self.rename_series,
            self.toggle_syndication,
        ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_editorial_histories_sync_to_exactly_the_visible_set(
    api, make_article, journal, seed
):
    rng = random.Random(seed)
    articles = [make_article(slug=f"seed-{n}", days=n) for n in range(8)]
    articles[1].syndication_allowed = False
    publish(articles[1])
    series_with_members(*articles[:6])
    editor = Editor(rng, make_article, journal)
    clients = {"anonymous": api, "partner": partner_client()}

    copies, tokens = {}, {}
    for who, client in clients.items():
        pages, tokens[who] = sync_to_end(client)
        copies[who] = apply({}, pages)
        assert copies[who] == summary_state(client)

    history = []
    for _ in range(STEPS):
        operation = rng.choice(editor.operations())
        history.append(operation.__name__)
        operation()

        for who, client in clients.items():
            pages, tokens[who] = sync_to_end(client, tokens[who], limit=rng.choice([1, 3, 100]))
            apply(copies[who], pages)

            # Exactly the visible set, with each summary as it is now (series positions too).
            expected = summary_state(client)
            assert copies[who] == expected, (
                f"seed {seed}, {who}, after {history}: {describe_difference(copies[who], expected)}"
            )
    for who, client in clients.items():
        assert set(copies[who]) == listed_ids(client)
    assert len(set(history)) > 6, "the seed exercised too few kinds of operation"
