"""App configuration for the editorial domain."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Journal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles import signals  # noqa: F401  (connects the receivers)
