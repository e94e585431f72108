"""Where webhooks may go: https to public addresses only, checked when saved and before each POST.

A URL is resolved and every address it resolves to is checked; the POST then connects to one
of those checked addresses (api/webhooks/transport.py), so a DNS answer that changes between
the check and the connection (DNS rebinding) cannot redirect it to an internal service.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that embed an IPv4 address in their last 32 bits (NAT64, RFC 6052).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


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


def address_refusal(address: IPAddress) -> str | None:
    """Why `address` may not receive webhooks (its kind), or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None:
            return address_refusal(embedded)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        # Shared address space (100.64.0.0/10), documentation and benchmark ranges, ...
        ("non-public", not address.is_global),
    )
    for kind, applies in checks:
        if applies:
            return kind
    return None


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ValidationError(f"The host {host} could not be resolved ({error}).") from None
    addresses = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise ValidationError(f"The host {host} could not be resolved.")
    return tuple(addresses)
