"""OpenAPI generation hooks: the public document describes /api/v1/ and nothing else."""

PUBLIC_PREFIX = "/api/v1/"


def public_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook dropping Wagtail's own admin API endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]
