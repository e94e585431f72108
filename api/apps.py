"""App configuration for the content API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Content API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # images connects its receivers (rendition warm-up) on import.
        from api import caching, images  # noqa: F401

        caching.connect_invalidation()
        from corsheaders.signals import check_request_enabled

        from api import (
            cors,
            scheduler,  # noqa: F401  (subscribes to the scheduler's rounds)
            signals,  # noqa: F401  (connects the sync change-log receivers)
            webhooks,  # noqa: F401  (connects the webhook outbox receivers)
        )

        # After the invalidation receivers (their on-commit bump runs before a purge is queued);
        # purges.py bumps again anyway.
        from api.cdn import (
            checks,  # noqa: F401  (registers the CDN settings check)
            receivers,  # noqa: F401
        )

        check_request_enabled.connect(cors.origin_allowed, dispatch_uid="api-cors-partners")
