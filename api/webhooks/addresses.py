"""Where webhooks may go: https to public addresses only, checked when saved and before each POST.

A URL is resolved and every address it resolves to is checked; the POST then connects to one
of those checked addresses (api/webhooks/transport.py), so a DNS answer that changes between
the check and the connection (DNS rebinding) cannot redirect it to an internal service.
"""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from cms.outbound import address_refusal, host_resolve

__all__ = ["WebhookTarget", "address_refusal", "webhook_target_resolve", "webhook_url_validate"]


@dataclass(frozen=True)
class WebhookTarget:
    """A checked webhook URL: where to connect, and what to ask for once connected."""

    scheme: str
    host: str  # as written in the URL (sent as Host and as the TLS server name)
    port: int
    path: str  # path and query
    addresses: tuple[str, ...]  # resolved and checked


def webhook_url_validate(url: str) -> None:
    """Raise ValidationError unless `url` may receive webhooks under the current settings."""
    webhook_target_resolve(url)


def webhook_target_resolve(url: str) -> WebhookTarget:
    """Check `url` and resolve its host; every address it resolves to must be allowed."""
    if not isinstance(url, str) or not url or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise ValidationError("Enter a URL without spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError("Enter a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise ValidationError("Webhook URLs must start with https://.")
    if scheme == "http" and not settings.WEBHOOK_ALLOW_HTTP:
        raise ValidationError("Webhook URLs must use https://; plain http is not allowed.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(
            "Webhook URLs must not contain credentials; requests are authenticated by their "
            "signature."
        )
    host = parts.hostname
    if not host:
        raise ValidationError("Enter a URL with a host name.")
    port = port or (443 if scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            reason = address_refusal(ipaddress.ip_address(address.split("%", 1)[0]))
            if reason:
                shown = host if host == address else f"{host} resolves to {address}, which"
                raise ValidationError(
                    f"{shown} is a {reason} address; webhooks go to public addresses only."
                )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return WebhookTarget(scheme=scheme, host=host, port=port, path=path, addresses=addresses)


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        return host_resolve(host, port)
    except OSError as error:
        raise ValidationError(f"The host {host} could not be resolved ({error}).") from None
