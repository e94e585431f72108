"""System check: the CDN settings under any settings module, as production checks them at start.

Production refuses to start with these problems (`cms/settings/production.py`); under the other
settings modules `manage.py check` and `runserver` report them, so a half-configured edge is
seen before the purge queue fails on it. Registered on import, from `ApiConfig.ready()`.
"""

from django.conf import settings
from django.core.checks import Error, register

from api.delivery.cdn.config import cdn_configuration_problems, cdn_settings

CHECK_ID = "folio.E001"


@register()
def cdn_configuration_check(app_configs=None, **kwargs) -> list[Error]:
    values = cdn_settings(settings)
    return [
        Error(problem, hint="See docs/edge.md for the CDN settings.", id=CHECK_ID)
        for problem in cdn_configuration_problems(values)
    ]
