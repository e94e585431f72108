"""Delta sync test support: a client that follows tokens and applies pages, and the
editorial actions the sync tests drive.

The change log is written by signal receivers in the editorial transaction; the sync tests drive
real editorial actions (publish, unpublish, delete, restrict, move, reorder, schedule) and then
look only at what a client sees through /api/v1/sync/.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.models import Page, PageViewRestriction, Site

from articles.models import ArticlePage, Series
from tests.api.conftest import get_json
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory

SYNC = "/api/v1/sync/"
OTHER_HOST = "other.example"


# A client


def sync(client, token=None, **params):
    if token is not None:
        params["token"] = token
    return get_json(client, SYNC, **params)


def sync_to_end(client, token=None, **params) -> tuple[list[dict], str]:
    """Every page from `token` (a full sync without one) until has_more is false."""
    pages = []
    while True:
        page = sync(client, token, **params)
        pages.append(page)
        token = page["next_token"]
        assert isinstance(token, str) and token
        if not page["has_more"]:
            return pages, token
        assert len(pages) < 100, "sync does not terminate"


def apply(state: dict[int, dict], pages: list[dict]) -> dict[int, dict]:
    """What an offline client does with each page, in order."""
    for page in pages:
        for item in page["changed"]:
            state[item["id"]] = item
        for gone in page["deleted"]:
            state.pop(gone["id"], None)
    return state


def changed_ids(pages) -> list[int]:
    return [item["id"] for page in pages for item in page["changed"]]


def deleted_pairs(pages) -> set[tuple[int, str]]:
    return {(gone["id"], gone["slug"]) for page in pages for gone in page["deleted"]}


def listed_ids(client) -> set[int]:
    """The visible set as the article list reports it, following `next` links."""
    ids, params = [], {"limit": 100}
    while True:
        body = get_json(client, "/api/v1/articles/", **params)
        ids += [item["id"] for item in body["results"]]
        if body["next"] is None:
            break
        params = {"limit": 100, "cursor": parse_qs(urlsplit(body["next"]).query)["cursor"][0]}
    assert len(ids) == len(set(ids))
    return set(ids)


def token_after_full_sync(client) -> str:
    return sync_to_end(client)[1]


def restrict(page: Page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def draft(journal, **fields) -> ArticlePage:
    article = ArticlePageFactory(parent=journal, live=False, **fields)
    article.save_revision()
    return article


def reorder(series: Series, articles: list[ArticlePage]) -> None:
    """Reorder the series' members and publish it, as an editor does in the snippet admin."""
    series = Series.objects.get(pk=series.pk)
    members = {member.article_id: member for member in series.members.all()}
    ordered = [members[article.pk] for article in articles]
    for position, member in enumerate(ordered):
        member.sort_order = position
    series.members = ordered
    series.save_revision().publish()


@pytest.fixture
def other_journal(journal, settings):
    """A second site, "other.example", with its own journal under Wagtail's root page."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]
    index = ArticleIndexPageFactory(
        parent=Page.get_first_root_node(), title="Other journal", slug="other-journal"
    )
    Site.objects.create(hostname=OTHER_HOST, port=80, root_page=index, site_name="Other")
    return index
