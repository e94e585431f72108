"""drf-spectacular's hooks: the partner key scheme, and the public document's endpoints only."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PUBLIC_PREFIX = "/api/v1/"


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    """Documents `Authorization: Api-Key <key>`; every endpoint also answers without a key."""

    target_class = "api.partners.keys.PartnerKeyAuthentication"
    name = "PartnerApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A partner's key, sent as `Api-Key <key>`. Optional: without it the "
            "API answers anonymously (public content, per-IP rate limit).",
        }


def public_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook dropping Wagtail's own admin API endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]
