"""Settings: production refuses to start half-configured and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-settings-test-0123456789",
    "ALLOWED_HOSTS": "folio.example.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_setting(name: str, **env: str) -> str:
    script = f"from django.conf import settings; print(settings.{name})"
    return manage("shell", "--no-imports", "-c", script, **{**PRODUCTION_ENV, **env}).stdout.strip()


class TestProductionSettings:
    @pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
    def test_refuses_to_start_without(self, missing):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

        result = manage("check", **env)

        assert result.returncode != 0
        assert f"{missing} must be set" in result.stderr

    def test_refuses_debug(self):
        result = manage("check", **PRODUCTION_ENV, DEBUG="1")

        assert result.returncode != 0
        assert "DEBUG cannot be enabled" in result.stderr
        assert production_setting("DEBUG", DEBUG="0") == "False"

    def test_serves_no_browsable_api_and_no_html_errors(self):
        renderers = production_setting("REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']")
        assert renderers == "['drf_orjson_renderer.renderers.ORJSONRenderer']"

    def test_passes_the_deploy_checks_with_warnings_as_failures(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

        assert result.returncode == 0, result.stderr

    def test_https_redirect_is_on_by_default_and_can_be_switched_off(self):
        assert production_setting("SECURE_SSL_REDIRECT") == "True"
        assert production_setting("SECURE_SSL_REDIRECT", SECURE_SSL_REDIRECT="0") == "False"

    def test_trusts_the_proxy_for_the_original_scheme(self):
        assert (
            production_setting("SECURE_PROXY_SSL_HEADER") == "('HTTP_X_FORWARDED_PROTO', 'https')"
        )


class TestEnvironmentConfiguration:
    def test_database_url_selects_the_database(self):
        engine = production_setting(
            "DATABASES['default']['ENGINE']", DATABASE_URL="postgres://u@db.internal:5432/folio"
        )
        assert engine == "django.db.backends.postgresql"

    def test_prepared_statements_are_added_to_the_urls_own_options(self):
        """Regression: the options replaced those of the URL, and lost its sslmode."""
        options = production_setting(
            "DATABASES['default']['OPTIONS']",
            DATABASE_URL="postgres://u@db.internal:5432/folio?sslmode=require",
        )
        assert options == (
            "{'sslmode': 'require', 'server_side_binding': True, 'prepare_threshold': 5}"
        )

    def test_prepared_statements_can_be_switched_off_for_a_pooler(self):
        options = production_setting(
            "DATABASES['default']['OPTIONS']",
            DATABASE_URL="postgres://u@db.internal:5432/folio?sslmode=require",
            DATABASE_PREPARED_STATEMENTS="0",
        )
        assert options == "{'sslmode': 'require'}"

    def test_without_database_url_the_embedded_sqlite_file_is_used(self):
        script = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.stdout.strip() == "django.db.backends.sqlite3"

    def test_redis_url_selects_the_shared_redis_cache(self):
        backend = production_setting(
            "CACHES['default']['BACKEND']", REDIS_URL="redis://cache.internal:6379/1"
        )
        assert backend == "cms.cache.FolioRedisCache"

    def test_a_bucket_name_switches_media_to_s3(self):
        backend = production_setting(
            "STORAGES['default']['BACKEND']", AWS_STORAGE_BUCKET_NAME="folio-media"
        )
        assert backend == "storages.backends.s3.S3Storage"

    def test_public_base_url_drives_the_admin_base_url(self):
        assert (
            production_setting("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL="https://health.example/")
            == "https://health.example"
        )


class TestSharedRedisClient:
    """cms.cache keeps one redis-py client per connection pool (Django builds one per call)."""

    def test_every_operation_reuses_one_client(self):
        from cms.cache import FolioRedisCache

        backend = FolioRedisCache("redis://127.0.0.1:6379/0", {})._cache

        assert backend.get_client("a") is backend.get_client("b", write=True)
