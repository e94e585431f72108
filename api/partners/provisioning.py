"""Partner provisioning: create partners, issue and revoke their keys (shown once)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from api.models import Partner, PartnerAPIKey


def partner_create(
    *,
    name: str,
    rate_limit: str = "600/minute",
    full_text: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    allowed_origins: list[str] | tuple[str, ...] = (),
) -> Partner:
    """A new, validated partner (raises ValidationError on a bad rate, origin or name)."""
    partner = Partner(
        name=name,
        rate_limit=rate_limit,
        full_text=full_text,
        contact_name=contact_name,
        contact_email=contact_email,
        allowed_origins="\n".join(allowed_origins),
    )
    partner.full_clean()
    partner.save()
    return partner


def api_key_issue(
    *, partner: Partner, name: str, expires_at: datetime | None = None
) -> tuple[PartnerAPIKey, str]:
    """A new key for `partner`: the stored record and the key itself, which is never stored."""
    return PartnerAPIKey.objects.create_key(partner=partner, name=name, expiry_date=expires_at)


def api_key_revoke(*, api_key: PartnerAPIKey) -> None:
    """Revoke a key for good; every worker refuses it from its next request."""
    with transaction.atomic():
        PartnerAPIKey.objects.filter(pk=api_key.pk, revoked=False).update(
            revoked=True, revoked_at=timezone.now()
        )
    api_key.refresh_from_db()
