"""URL configuration of /feeds/: every format of every feed, and JSON 404s for the rest."""

from django.urls import path, re_path

from api.errors import NotFound
from api.feeds.entries import ALL, SERIES, TOPICS
from api.feeds.views import FORMATS, FeedView, error_response

app_name = "feeds"


def feed_not_found(request, *args, **kwargs):
    return error_response(NotFound(f"No feed at {request.path}."))


urlpatterns = [
    *(
        path(
            f"articles.{format}",
            FeedView.as_view(scope=ALL, format=format),
            name=f"articles-{format}",
        )
        for format in FORMATS
    ),
    *(
        path(
            f"series/<slug:slug>.{format}",
            FeedView.as_view(scope=SERIES, format=format),
            name=f"series-{format}",
        )
        for format in FORMATS
    ),
    *(
        path(
            f"topics/<slug:slug>.{format}",
            FeedView.as_view(scope=TOPICS, format=format),
            name=f"topics-{format}",
        )
        for format in FORMATS
    ),
    re_path(r"^.*$", feed_not_found),
]
