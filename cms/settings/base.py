"""Settings shared by every environment; everything secret or site-specific comes from the env."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from .environment import BASE_DIR, PROJECT_DIR, env_bool, env_list

# Application definition

INSTALLED_APPS = [
    "articles",
    "api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail_headless_preview",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework_api_key",
    "corsheaders",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost, so it compresses what every other layer produced (JSON above 200 bytes).
    "cms.compression.CompressOnceGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside the response cache's middleware, so that its answers carry the header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything that can answer, so preflights and errors carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    # Inside every layer that shapes a response, before all a cached anonymous GET never needs.
    "api.delivery.middleware.SharedResponseCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.middleware.AdminWriteTransactionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # `/?p=<id>`: an imported WordPress post's old address (articles/importing/redirects.py).
    "articles.importing.redirects.WordPressQueryRedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# Database: DATABASE_URL (postgres://... in production and CI), else an embedded SQLite file.

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Parameters bound by the server, and a statement run five times on a connection kept
# prepared: the API's statements (articles/selectors/statements.py) have a fixed text, so
# PostgreSQL stops parsing and planning them on every request. Set it to 0 behind a pooler in
# transaction mode (PgBouncer without max_prepared_statements). Added to the URL's options.
PREPARED_STATEMENT_OPTIONS = (
    {"server_side_binding": True, "prepare_threshold": 5}
    if os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") == "1"
    else {}
)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENT_OPTIONS)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server and the worker read while the other writes; the timeout
    # makes a writer wait for the lock instead of failing an editor's save at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# A read replica (PostgreSQL streaming replication) takes the reads when it is configured.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.config(
        env="DATABASE_REPLICA_URL",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENT_OPTIONS)
    DATABASE_ROUTERS = ["cms.db_routers.ReadReplicaRouter"]
    MIDDLEWARE.insert(0, "cms.db_routers.ApiReadsOnReplicaMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: REDIS_URL names the shared cache (responses, throttle counters, invalidation
# generations); without it each process keeps a local-memory cache.

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.FolioRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "folio"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "folio",
            "TIMEOUT": 300,
        }
    }

# Each worker's compressed copies of public bodies (cms/compression.py): a few MB at most, the
# least recently used culled first.
CACHES["compressed"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "folio-compressed",
    "TIMEOUT": int(os.environ.get("COMPRESSED_CACHE_TIMEOUT", "600")),
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("COMPRESSED_CACHE_ENTRIES", "300"))},
}

# API response caching: seconds a response stays in the shared cache (invalidation makes it
# stale earlier on any change), and the HTTP freshness given to clients and CDNs.
API_RESPONSE_CACHE = env_bool("API_RESPONSE_CACHE", True)
API_CACHE_TIMEOUT = int(os.environ.get("API_CACHE_TIMEOUT", "300"))
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
API_STALE_WHILE_REVALIDATE = int(os.environ.get("API_STALE_WHILE_REVALIDATE", "300"))
# Each worker keeps the site and view-restriction lookups of the visibility rule while the
# content generation stands (any change to a site, page or restriction ends it).
API_SITE_RULE_MEMO = env_bool("API_SITE_RULE_MEMO", True)
# Delta sync keeps this many days of changes: the scheduler prunes older ones, and a sync
# token from before what the log still holds is a 410 (the client starts a full sync again).
SYNC_RETENTION_DAYS = int(os.environ.get("SYNC_RETENTION_DAYS", "90"))

# Background work: Django's tasks framework on a database-backed queue (`manage.py db_worker`).

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Partners: anonymous rate per client IP (empty: unlimited); CORS only for partners' origins,
# which are kept per partner in the admin (api/partners/cors.py), on the API and the feeds only.
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "1200/minute")
CORS_URLS_REGEX = r"^/(api/v1|feeds)/.*$"
CORS_ALLOWED_ORIGINS: list[str] = []
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "authorization", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
CORS_PREFLIGHT_MAX_AGE = 3600
# Webhook URLs must be https and public; tests and local receivers may allow loopback/private.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_RETRY_WINDOW = int(os.environ.get("WEBHOOK_RETRY_WINDOW", str(24 * 3600)))

# Passwords and logins: after AXES_FAILURE_LIMIT failed admin logins from one client address,
# that address is locked out for AXES_COOLOFF_MINUTES (429); failures are kept in the database,
# so the count holds across workers.

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
AXES_LOCKOUT_URL = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files through whitenoise; media on the local file system unless S3 is configured.

STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The documented production switch for media: any S3-compatible object store.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", False)
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None

# Uploaded WordPress exports (articles/models/imports.py) hold e-mail addresses and drafts: a
# private place, never MEDIA_ROOT. Where the worker runs on another machine, a private bucket.
IMPORTS_BUCKET_NAME = os.environ.get("IMPORTS_BUCKET_NAME", "")
if IMPORTS_BUCKET_NAME:
    STORAGES["imports"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": IMPORTS_BUCKET_NAME, "querystring_auth": True},
    }
else:
    STORAGES["imports"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("IMPORTS_ROOT", str(BASE_DIR / "private" / "imports"))
        },
    }
# Serve MEDIA_URL from Django itself (the embedded default); off where a proxy or S3 serves it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)

# Large page forms (StreamField bodies, inline panels) exceed Django's default field limit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Public addresses

# The public origin of the site and API, used for every absolute URL we emit.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Wagtail

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Folio")
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
WAGTAILSEARCH_BACKENDS = {
    # PostgreSQL full-text search on PostgreSQL, SQLite FTS5 on the embedded default.
    "default": {"BACKEND": "wagtail.search.backends.database"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Headless preview: the admin's "Client app" preview opens this URL with ?content_type=&token=;
# by default our own preview endpoint, so the draft's JSON shows even without a client app.
PREVIEW_CLIENT_URL = os.environ.get("PREVIEW_CLIENT_URL", f"{PUBLIC_BASE_URL}/api/v1/preview/")
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": PREVIEW_CLIENT_URL},
    "ENFORCE_TRAILING_SLASH": True,
}
# Seconds a preview token stays valid after the editor opens the preview.
PREVIEW_TOKEN_MAX_AGE = int(os.environ.get("PREVIEW_TOKEN_MAX_AGE", "3600"))
# Content-Security-Policy on every response (django-csp). The admin and the Swagger UI still
# need inline scripts and styles (Wagtail's CSP work is ongoing), so those are allowed, but
# nothing loads from elsewhere but images and embeds, no plugin runs, and no other site may
# frame us or receive a form.
_PREVIEW_ORIGIN = "/".join(PREVIEW_CLIENT_URL.split("/")[:3])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:", _PREVIEW_ORIGIN],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# The CDN and the importer's outbound fetching (cms/settings/integrations.py).
from .integrations import *  # noqa: E402, F403

# Logging: everything to stderr, where gunicorn and the process manager collect it.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},  # its start-up banner, on every command
    },
}

# Django REST framework and the OpenAPI schema

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only, rendered by orjson; no browsable API, no request bodies to parse.
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # Anonymous reads, or a partner's key (`Authorization: Api-Key <key>`).
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.partners.keys.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    # Per key at the partner's rate; anonymous requests are limited per IP before the
    # response cache is consulted (api/delivery/caching.py), so cached answers count too.
    "DEFAULT_THROTTLE_CLASSES": ["api.partners.throttling.PartnerRateThrottle"],
    # Reverse proxies in front of the app that append to X-Forwarded-For; 0 trusts none.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Folio content API",
    "VERSION": "1.0.0",
    # 3.1 so that nullable objects ($ref plus null) validate as the responses really are.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Only our own API belongs in the public document, not Wagtail's admin endpoints.
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["api.content.schema.public_endpoints_only"],
    # The feeds and the probes are plain Django views: written out in
    # api/content/schema/plain_views.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.content.schema.feeds_and_probes",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
