"""Benchmark URLs: the project's own, Wagtail's API v2 pages endpoint at /v2/, a bare view."""

from django.http import JsonResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from bench.v2 import declare_api_fields
from cms.urls import handler400, handler404, handler500  # noqa: F401
from cms.urls import urlpatterns as project_urlpatterns

declare_api_fields()

router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PagesAPIViewSet)


def ceiling(request):
    """The ceiling: a small JSON body through the same middleware, no database, no cache."""
    return JsonResponse({"status": "ok", "service": "folio", "items": [1, 2, 3]})


urlpatterns = [
    path("bench/ceiling", ceiling),
    path("v2/", router.urls),
    *project_urlpatterns,
]
