"""URL configuration of /api/v1/: the endpoints, the schema, the docs, and JSON 404s."""

from django.urls import path, re_path
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.content import views
from api.delivery.preview import PreviewView
from api.delivery.sync_view import SyncView
from api.errors import json_not_found

app_name = "api"


class JsonErrorsMixin:
    """Errors of the schema and docs views in the API's JSON body, not in YAML or HTML."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "exception", False):
            response.accepted_renderer = ORJSONRenderer()
            response.accepted_media_type = "application/json"
            response.renderer_context = self.get_renderer_context()
        return response


class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    pass


class DocsView(JsonErrorsMixin, SpectacularSwaggerView):
    pass


urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("series/", views.SeriesListView.as_view(), name="series-list"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("authors/", views.AuthorListView.as_view(), name="author-list"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("sync/", SyncView.as_view(), name="sync"),
    path("preview/", PreviewView.as_view(), name="preview"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", json_not_found),
]
