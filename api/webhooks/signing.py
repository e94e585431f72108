"""Webhook signatures: HMAC-SHA256 over "<unix time>.<raw body>" with the endpoint's secret."""

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
SIGNATURE_HEADER = "Folio-Signature"
SIGNATURE_VERSION = "v1"


def webhook_secret_generate() -> str:
    """A new endpoint secret: 256 bits from the OS's secure random source."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `"<timestamp>.<body>"`, keyed with the endpoint's secret."""
    signed = str(int(timestamp)).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    """The `Folio-Signature` value: `t=<unix time>,v1=<hex signature>`."""
    signature = webhook_signature(secret=secret, timestamp=timestamp, body=body)
    return f"t={int(timestamp)},{SIGNATURE_VERSION}={signature}"
