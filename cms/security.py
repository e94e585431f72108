"""Security helpers shared by the settings: the client address behind trusted proxies."""

from rest_framework.throttling import BaseThrottle


def client_ip(request) -> str:
    """The client's address as the API's rate limits see it (`NUM_PROXIES` trusted proxies).

    Used by django-axes for the admin's login lockout, so a forged X-Forwarded-For escapes
    neither.
    """
    return BaseThrottle().get_ident(request)
