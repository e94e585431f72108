"""The visibility of a request: its site's rule and client, kept per worker while content stands.

The rule itself is the domain's (articles/selectors/visibility.py); this is how a request finds
its site and its client (anonymous, or the partner whose key api/partners/keys.py checked).
"""

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from api.content.structured_data import Publisher
from api.delivery.caching import content_generation
from articles.selectors import Visibility, view_restricted_paths


def visibility_for(request) -> Visibility:
    """The visibility of the request's site and client, computed once per request.

    The client is anonymous or the partner whose key api/partners/keys.py checked. The site and the
    view restrictions are two small queries, kept per worker while the content generation
    stands (`API_SITE_RULE_MEMO`).
    """
    cached = getattr(request, "_folio_visibility", None)
    if cached is not None:
        return cached
    django_request = getattr(request, "_request", request)
    site_tree_path, site_url_path, restricted, _ = _site_rule(django_request)
    visibility = Visibility(
        site_tree_path=site_tree_path,
        site_url_path=site_url_path,
        now=timezone.now(),
        restricted_tree_paths=restricted,
        syndicated_only=getattr(django_request, "folio_api_key", None) is not None,
    )
    request._folio_visibility = visibility
    return visibility


def publisher_for(request) -> Publisher:
    """Who publishes the request's site: its name (else WAGTAIL_SITE_NAME) and its home page.

    From the same per-worker memo as the site's rule, so it costs no query of its own.
    """
    django_request = getattr(request, "_request", request)
    *_, site_name = _site_rule(django_request)
    return Publisher(
        name=site_name or settings.WAGTAIL_SITE_NAME, url=f"{settings.PUBLIC_BASE_URL}/"
    )


# (host, generation) -> (site root's tree path, its url_path, restricted tree paths, site name)
_site_rules: dict[tuple[str, int], tuple[str | None, str, tuple[str, ...], str]] = {}


def _site_rule(request) -> tuple[str | None, str, tuple[str, ...], str]:
    """The site part of the visibility rule for a request's host.

    Read before the database, like the response cache's generation: a rule read after a
    change commits is kept under the old generation, which is already stale.
    """
    on_request = getattr(request, "_folio_site_rule", None)
    if on_request is not None:
        return on_request  # the visibility and the publisher of one request share one lookup
    rule = _site_rule_of_host(request)
    request._folio_site_rule = rule
    return rule


def _site_rule_of_host(request) -> tuple[str | None, str, tuple[str, ...], str]:
    generation = content_generation(request) if settings.API_SITE_RULE_MEMO else None
    key = (request.get_host(), generation)
    if generation is not None and key in _site_rules:
        return _site_rules[key]
    site = Site.find_for_request(request)
    rule = (
        site.root_page.path if site else None,
        site.root_page.url_path if site else "/",
        view_restricted_paths(),
        site.site_name if site else "",
    )
    if generation is not None:
        if len(_site_rules) >= 256:
            _site_rules.clear()  # old generations' rules: never read again
        _site_rules[key] = rule
    return rule
