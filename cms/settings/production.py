"""Production settings: secrets from the environment, HTTPS behind a TLS-terminating proxy."""

import os

from django.core.exceptions import ImproperlyConfigured

from api.delivery.cdn.config import cdn_configuration_problems

from .base import *  # noqa: F403

# Never on in production: a DEBUG variable in the environment is a mistake worth refusing.
DEBUG = False
if env_bool("DEBUG", False):
    raise ImproperlyConfigured("DEBUG cannot be enabled with the production settings.")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set in the environment for production (comma-separated)."
    )

# The proxy terminates TLS and tells us the original scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# On by default; SECURE_SSL_REDIRECT=0 allows plain HTTP on loopback (benchmarks, smoke tests).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "folio@localhost")

# A half-configured edge would keep serving stale pages with no error anywhere: refuse it.
if cdn_problems := cdn_configuration_problems(globals()):
    raise ImproperlyConfigured("The CDN settings are incomplete. " + " ".join(cdn_problems))
