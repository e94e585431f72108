"""Review cadence: when a clinical article's medical review falls due, and where it stands.

An article with a medical reviewer is clinical. Its review stays current for an interval (the
site's default in Settings → Health content, or the article's own), so the next review is due
on the review date plus that many months; it is *due soon* from `due_soon_days` before that
day, and *overdue* from that day on. Days are UTC days, as the API gives them (the start of the
day in UTC), so a client comparing the timestamps with its clock reaches the same state.

Both dates are columns of the page row (`next_review_due`, `review_due_soon_from`), computed
on save and rewritten when the site's policy changes: the detail shows the state without a
query, and "due or overdue" is an indexed range for the dashboard and the reminders.
"""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

CURRENT = "current"
DUE_SOON = "due_soon"
OVERDUE = "overdue"

BATCH = 500  # articles rewritten per UPDATE round when a site's policy changes


@dataclass(frozen=True)
class ReviewPolicy:
    interval_months: int = 12
    due_soon_days: int = 30


def months_after(day: date, months: int) -> date:
    """`day` moved `months` calendar months on; the 31st becomes a shorter month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_dates(
    reviewed_at: date | None, *, interval_months: int | None, policy: ReviewPolicy
) -> tuple[date | None, date | None]:
    """(next review due, due soon from) for a review on `reviewed_at`; (None, None) without one."""
    if reviewed_at is None:
        return None, None
    due = months_after(reviewed_at, interval_months or policy.interval_months)
    return due, due - timedelta(days=policy.due_soon_days)


def utc_today(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(UTC).date()


def review_status(next_due: date | None, due_soon_from: date | None, today: date) -> str:
    """`current`, `due_soon` or `overdue` on `today`."""
    if next_due is None:
        return OVERDUE  # a clinical article with no dated review has nothing current
    if today >= next_due:
        return OVERDUE
    if due_soon_from is not None and today >= due_soon_from:
        return DUE_SOON
    return CURRENT


def policy_for_site(site) -> ReviewPolicy:
    """The site's policy, without creating its settings row (the model's defaults until saved)."""
    from articles.models import HealthContentSettings

    row = (
        HealthContentSettings.objects.filter(site=site)
        .values_list("review_interval_months", "due_soon_days")
        .first()
        if site is not None
        else None
    )
    return ReviewPolicy(*row) if row else ReviewPolicy()


def review_dates_apply(page) -> None:
    """Set the page's two review dates from its review and its site's policy (before a save)."""
    if page.medical_reviewed_at is None or page.medical_reviewer_id is None:
        page.next_review_due = page.review_due_soon_from = None
        return
    page.next_review_due, page.review_due_soon_from = review_dates(
        page.medical_reviewed_at,
        interval_months=page.review_interval_months,
        policy=policy_for_site(site_of_path(page.path)),
    )


def site_of_path(path: str | None):
    """The site whose root holds the tree path (the deepest root, as Wagtail's routing picks).

    By path rather than `Page.get_site()`, which needs a saved page's URL: a new page has
    its path before its first save.
    """
    from wagtail.models import Site

    if not path:
        return None
    sites = Site.objects.select_related("root_page").only("root_page__path")
    held = [site for site in sites if path.startswith(site.root_page.path)]
    return max(held, key=lambda site: len(site.root_page.path), default=None)


def site_review_dates_recompute(site, *, batch: int = BATCH) -> int:
    """Rewrite the review dates of every clinical article under the site; returns how many.

    Only the two date columns are written (an UPDATE per batch, by id): a concurrent edit of
    the same article keeps its own fields, and no revision or publish state changes. Each batch
    commits with the others in the caller's transaction; the delivery side hears of it once,
    through `bulk_articles_written`.
    """
    from articles.events import bulk_articles_written
    from articles.models import ArticlePage

    policy = policy_for_site(site)
    root = site.root_page
    articles = ArticlePage.objects.filter(
        path__startswith=root.path, medical_reviewer__isnull=False
    ).exclude(medical_reviewed_at=None)
    changed = 0
    last = 0
    with transaction.atomic():
        while True:
            rows = list(
                articles.filter(pk__gt=last)
                .order_by("pk")
                .values_list(
                    "pk",
                    "medical_reviewed_at",
                    "review_interval_months",
                    "next_review_due",
                    "review_due_soon_from",
                )[:batch]
            )
            if not rows:
                break
            last = rows[-1][0]
            updates = []
            for pk, reviewed_at, months, old_due, old_soon in rows:
                due, soon = review_dates(reviewed_at, interval_months=months, policy=policy)
                if (due, soon) != (old_due, old_soon):
                    updates.append(
                        ArticlePage(pk=pk, next_review_due=due, review_due_soon_from=soon)
                    )
            if updates:
                ArticlePage.objects.bulk_update(
                    updates, ["next_review_due", "review_due_soon_from"], batch_size=batch
                )
                changed += len(updates)
        if changed:
            bulk_articles_written.send(sender=ArticlePage)
    return changed
