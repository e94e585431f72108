"""`manage.py partners`: provision partners, keys and webhook endpoints from scripts."""

from datetime import UTC, datetime, time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from api.models import Partner, PartnerAPIKey
from api.partners.provisioning import api_key_issue, api_key_revoke, partner_create
from api.webhooks.models import EVENT_TYPES


def _expiry(value: str) -> datetime:
    """An ISO date (end of that day, UTC) or an ISO datetime with an offset."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--expires: not an ISO date or datetime: {value!r}")
        moment = datetime.combine(day, time.max)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    if moment <= timezone.now():
        raise CommandError("--expires: the moment has already passed")
    return moment


def _errors(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Provision partners: create one, issue or revoke an API key, add a webhook endpoint, "
        "list them. Keys and webhook secrets are printed once, on stdout, and never again."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        create = commands.add_parser("create", help="Create a partner")
        create.add_argument("--name", required=True)
        create.add_argument("--rate", default="600/minute", help="e.g. 600/minute, 100000/day")
        create.add_argument("--full-text", action="store_true", help="Grant the full-text right")
        create.add_argument("--contact-name", default="")
        create.add_argument("--contact-email", default="")
        create.add_argument(
            "--origin", action="append", default=[], help="A CORS origin (repeatable)"
        )

        issue = commands.add_parser("issue-key", help="Issue an API key (printed once)")
        issue.add_argument("--partner", required=True, help="The partner's name")
        issue.add_argument("--name", required=True, help="What the key is for, e.g. 'web'")
        issue.add_argument("--expires", help="ISO date or datetime when the key stops working")

        revoke = commands.add_parser("revoke-key", help="Revoke an API key for good")
        revoke.add_argument("prefix", help="The key's 8-character prefix (before the dot)")

        webhook = commands.add_parser("add-webhook", help="Add a webhook endpoint")
        webhook.add_argument("--partner", required=True, help="The partner's name")
        webhook.add_argument("--url", required=True)
        webhook.add_argument(
            "--events",
            default=",".join(name for name, _ in EVENT_TYPES),
            help="Comma-separated event types (default: all)",
        )
        webhook.add_argument("--description", default="")

        commands.add_parser("list", help="List partners and their keys")

    def handle(self, *args, action, **options):
        return getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def _partner(self, name: str) -> Partner:
        partner = Partner.objects.filter(name=name).first()
        if partner is None:
            raise CommandError(f"No partner is named {name!r}.")
        return partner

    def handle_create(self, *, name, rate, full_text, contact_name, contact_email, origin, **_):
        try:
            partner = partner_create(
                name=name,
                rate_limit=rate,
                full_text=full_text,
                contact_name=contact_name,
                contact_email=contact_email,
                allowed_origins=origin,
            )
        except ValidationError as error:
            raise CommandError(_errors(error)) from None
        self.stderr.write(f"Created partner {partner.name!r} (id {partner.pk}).")

    def handle_issue_key(self, *, partner, name, expires, **_):
        owner = self._partner(partner)
        expires_at = _expiry(expires) if expires else None
        record, key = api_key_issue(partner=owner, name=name, expires_at=expires_at)
        self.stderr.write(
            f"Issued key {record.prefix}… for {owner.name!r}. It is shown once, below; "
            "only its hash is kept."
        )
        self.stdout.write(key)

    def handle_revoke_key(self, *, prefix, **_):
        api_key = PartnerAPIKey.objects.filter(prefix=prefix).first()
        if api_key is None:
            raise CommandError(f"No key has the prefix {prefix!r}.")
        if api_key.revoked:
            raise CommandError(f"Key {prefix}… was already revoked at {api_key.revoked_at}.")
        api_key_revoke(api_key=api_key)
        self.stderr.write(f"Revoked key {prefix}… of {api_key.partner.name!r}.")

    def handle_add_webhook(self, *, partner, url, events, description, **_):
        from api.webhooks.services import webhook_endpoint_create

        owner = self._partner(partner)
        event_types = [name.strip() for name in events.split(",") if name.strip()]
        known = {name for name, _ in EVENT_TYPES}
        unknown = sorted(set(event_types) - known)
        if unknown or not event_types:
            raise CommandError(
                f"--events: unknown event types {unknown}; choose from {sorted(known)}"
            )
        try:
            endpoint, secret = webhook_endpoint_create(
                partner=owner, url=url, event_types=event_types, description=description
            )
        except ValidationError as error:
            raise CommandError(_errors(error)) from None
        self.stderr.write(
            f"Added webhook endpoint {endpoint.pk} for {owner.name!r} ({', '.join(event_types)}). "
            "Its signing secret is shown once, below."
        )
        self.stdout.write(secret)

    def handle_list(self, **_):
        for partner in Partner.objects.prefetch_related("api_keys", "webhooks"):
            state = "active" if partner.is_active else "inactive"
            right = "full text" if partner.full_text else "summaries"
            self.stdout.write(f"{partner.name}  [{state}, {right}, {partner.rate_limit}]")
            for api_key in partner.api_keys.all():
                status = (
                    "revoked" if api_key.revoked else "expired" if api_key.has_expired else "usable"
                )
                self.stdout.write(f"  key {api_key.prefix}…  {api_key.name}  {status}")
            for endpoint in partner.webhooks.all():
                self.stdout.write(f"  webhook {endpoint.url}  {', '.join(endpoint.event_types)}")
