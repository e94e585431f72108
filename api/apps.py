"""App configuration for the content API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Content API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # images connects its receivers (rendition warm-up) on import.
        from api.content import images  # noqa: F401
        from api.delivery import invalidation

        invalidation.connect_invalidation()
        from corsheaders.signals import check_request_enabled

        from api.delivery import (
            sync_receivers,  # noqa: F401  (the sync change log's)
            sync_series_receivers,  # noqa: F401  (series placements)
        )

        # After the invalidation receivers (their on-commit bump runs before a purge is queued);
        # purges.py bumps again anyway.
        from api.delivery.cdn import checks  # noqa: F401  (registers the CDN settings check)
        from api.delivery.cdn import receivers as cdn_receivers  # noqa: F401  (purge planning)
        from api.partners import cors
        from api.webhooks import receivers as webhook_receivers  # noqa: F401  (the outbox's)

        check_request_enabled.connect(cors.origin_allowed, dispatch_uid="api-cors-partners")
