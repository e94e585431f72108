"""The bulk seeding service: N published articles under the journal, in batched inserts.

Wagtail creates a page with one INSERT per table, a revision, a treebeard update of its parent
and a search index write: minutes for a thousand pages. Here each batch of articles costs a
fixed number of statements: the treebeard `path`/`depth` of each new child is computed from
the journal's last child, the `wagtailcore_page` rows are inserted in bulk (ids returned), then
the `articles_articlepage` rows of the multi-table child, then bylines, topics, tags, references
and series members, then the search index entries through the search backend's own bulk
`add_items` (PostgreSQL computes the tsvectors). The denormalised fields the API reads
(`url_path`, `reading_time_minutes`, unique slugs) are computed here the way `save()` would.
Pages get no revisions: nothing the API or Wagtail's API v2 serves reads them.

Bulk articles are owned by the `seed_bulk` user, which is how a later run finds them again:
it adds only the missing ones, and `reset` deletes them (with their series) first. Authors,
topics, tags and images are found again by their natural keys and reused.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from articles.bulk.build import ArticleBuilder, BuiltArticle
from articles.bulk.library import library_ensure
from articles.bulk.search import batch_index
from articles.bulk.words import cap, slug_for
from articles.events import bulk_articles_created, bulk_articles_deleting, bulk_articles_written
from articles.models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    ArticleReference,
    ArticleTag,
    Series,
    SeriesMember,
)

BULK_USERNAME = "seed_bulk"
SERIES_SHARE = 0.2  # of the articles in each batch belong to a series


@dataclass
class BulkSeedResult:
    existing: int = 0
    created: int = 0
    series: int = 0
    deleted: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


Progress = Callable[[int, int], None]


def bulk_articles_seed(
    *,
    articles: int,
    reset: bool = False,
    seed: int = 6,
    batch_size: int = 1000,
    progress: Progress | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> BulkSeedResult:
    """Make sure `articles` bulk articles are published under the journal; add the missing ones."""
    from articles.demo.loader import _journal_ensure, _site_ensure
    from articles.demo.result import DemoLoadResult

    result = BulkSeedResult()
    timer = time.monotonic()
    with transaction.atomic():
        demo_result = DemoLoadResult()
        journal = _journal_ensure(result=demo_result)
        _site_ensure(journal=journal, result=demo_result)
        owner = _bulk_user_ensure()
    if reset:
        result.deleted = bulk_articles_delete(owner=owner)
        log(f"Deleted {result.deleted} bulk articles.")
    result.existing = ArticlePage.objects.filter(owner=owner).count()
    if result.existing > articles:
        raise ValueError(
            f"There are already {result.existing} bulk articles, more than {articles}; "
            "reset to seed fewer."
        )
    result.seconds["setup"] = time.monotonic() - timer

    timer = time.monotonic()
    library = library_ensure(seed=seed, log=log)
    result.seconds["library"] = time.monotonic() - timer

    to_create = articles - result.existing
    if to_create <= 0:
        return result
    journal = ArticleIndexPage.objects.get(pk=journal.pk)
    state = ArticleBuilder.start(journal=journal, owner=owner, seed=seed)
    timers = {"build": 0.0, "insert": 0.0, "index": 0.0}
    done = 0
    if progress:
        progress(0, to_create)
    while done < to_create:
        count = min(batch_size, to_create - done)
        with transaction.atomic():
            timer = time.monotonic()
            batch = [state.article_build(library) for _ in range(count)]
            timers["build"] += time.monotonic() - timer
            timer = time.monotonic()
            result.series += _batch_insert(batch, state=state)
            timers["insert"] += time.monotonic() - timer
            timer = time.monotonic()
            batch_index(batch)
            timers["index"] += time.monotonic() - timer
        done += count
        result.created += count
        if progress:
            progress(done, to_create)

    timer = time.monotonic()
    with transaction.atomic():
        Page.objects.filter(pk=journal.pk).update(
            numchild=Page.objects.filter(path__startswith=journal.path, depth=journal.depth + 1)
            .values("pk")
            .count()
        )
        # Bulk inserts and raw deletes send no model signals: every cache must let go.
        bulk_articles_written.send(sender=ArticlePage)
    _statistics_refresh()
    timers["finish"] = time.monotonic() - timer
    result.seconds.update(timers)
    return result


# The owner, the library of images, people, topics and tags


def _bulk_user_ensure():
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=BULK_USERNAME,
        defaults={"is_active": False, "first_name": "Bulk", "last_name": "Seeder"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# Inserting a batch


def _insert(model, objs, fields, *, returning: bool = False) -> list:
    """INSERT the given columns of `objs`, batched to the database's parameter limit."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    size = max(1, min(1000, connection.ops.bulk_batch_size(fields, objs)))
    returned = []
    for start in range(0, len(objs), size):
        rows = model._base_manager._insert(
            objs[start : start + size],
            fields=fields,
            returning_fields=[model._meta.pk] if returning else None,
            using=alias,
        )
        if returning:
            returned.extend(row[0] for row in rows)
    return returned


def _batch_insert(batch: list[BuiltArticle], *, state: ArticleBuilder) -> int:
    """Insert a batch of built articles and everything attached to them; returns new series."""
    pages = [built.page for built in batch]
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    ids = _insert(Page, pages, page_fields, returning=True)
    for page, pk in zip(pages, ids, strict=True):
        page.id = page.page_ptr_id = pk
    _insert(ArticlePage, pages, list(ArticlePage._meta.local_concrete_fields))

    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article_id=built.page.pk, author_id=author_id, sort_order=position)
        for built in batch
        for position, author_id in enumerate(built.author_ids)
    )
    topic_link = ArticlePage.topics.through
    topic_link.objects.bulk_create(
        topic_link(articlepage_id=built.page.pk, topic_id=topic_id)
        for built in batch
        for topic_id in built.topic_ids
    )
    ArticleTag.objects.bulk_create(
        ArticleTag(content_object_id=built.page.pk, tag_id=tag_id)
        for built in batch
        for tag_id in built.tag_ids
    )
    ArticleReference.objects.bulk_create(
        ArticleReference(article_id=built.page.pk, title=title, url=url, sort_order=position)
        for built in batch
        for position, (title, url) in enumerate(built.references)
    )
    series_count = _series_create(batch, state=state)
    state.linkable.extend(ids[: max(0, 5000 - len(state.linkable))])
    # Delta sync learns of them, as publishing them one by one would tell it.
    bulk_articles_created.send(sender=ArticlePage, article_ids=ids)
    return series_count


def _series_create(batch: list[BuiltArticle], *, state: ArticleBuilder) -> int:
    """Group about a fifth of the batch into series of 3 to 10 on one subject, in reading order.

    A series follows its subject's articles mostly in publication order; now and then the
    editor has moved a part up. Batches too small for a subject to recur get mixed series.
    """
    rng = random.Random(state.seed * 7_919 + state.sequence)  # noqa: S311 (reproducible test data)
    wanted = int(len(batch) * SERIES_SHARE)
    by_subject: dict[str, list[BuiltArticle]] = {}
    for built in batch:
        by_subject.setdefault(built.subject, []).append(built)
    subjects = sorted(by_subject)
    rng.shuffle(subjects)
    groups, grouped = [], 0
    for subject in subjects:
        members = by_subject[subject]
        if grouped >= wanted:
            break
        if len(members) >= 3:
            groups.append(members[: rng.randrange(3, 11)])
            grouped += len(groups[-1])
    if not groups:
        pool = rng.sample(batch, wanted)
        while len(pool) >= 3:
            size = rng.randrange(3, 11)
            groups.append(pool[:size])
            pool = pool[size:]
    series_rows = []
    for group in groups:
        state.series_sequence += 1
        group.sort(key=lambda built: built.page.first_published_at)
        if len(group) > 3 and rng.random() < 0.3:
            i = rng.randrange(len(group) - 1)  # the editor moved one part up
            group[i], group[i + 1] = group[i + 1], group[i]
        subject = group[0].subject
        title = f"{cap(subject)}: a {len(group)}-part series"
        published = max(built.page.first_published_at for built in group)
        series_rows.append(
            Series(
                title=title,
                slug=slug_for(title, f"s{state.series_sequence}"),
                description=f"Our reporting on {subject}, in reading order.",
                image_id=rng.choice(group).page.hero_image_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
            )
        )
    Series.objects.bulk_create(series_rows)
    if series_rows and series_rows[0].pk is None:  # a database that returns no ids
        by_slug = dict(
            Series.objects.filter(slug__in=[s.slug for s in series_rows]).values_list("slug", "pk")
        )
        for series in series_rows:
            series.pk = series.id = by_slug[series.slug]
    SeriesMember.objects.bulk_create(
        SeriesMember(series_id=series.pk, article_id=built.page.pk, sort_order=position)
        for series, group in zip(series_rows, groups, strict=True)
        for position, built in enumerate(group)
    )
    return len(series_rows)


def _statistics_refresh() -> None:
    """Fresh planner statistics: after a bulk load the planner would guess from empty tables."""
    connection = connections[router.db_for_write(Page)]
    if connection.vendor != "postgresql":
        return
    models = [Page, ArticlePage, ArticleAuthor, ArticleTag, ArticleReference, Series, SeriesMember]
    tables = [m._meta.db_table for m in models]
    tables += [ArticlePage.topics.through._meta.db_table, IndexEntry._meta.db_table]
    # VACUUM too where it may run (outside a transaction): the search backend rewrites every
    # index entry once (its title norms), leaving as many dead rows as live ones, which index
    # scans would visit until autovacuum came round.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")


# Deleting


def bulk_articles_delete(*, owner) -> int:
    """Delete the bulk articles, their series and index entries, with raw deletes in bulk."""
    article_type = ContentType.objects.get_for_model(ArticlePage)
    pages = Page._base_manager.filter(owner=owner, content_type=article_type)
    ids = pages.values("pk")
    alias = router.db_for_write(Page)
    with transaction.atomic():
        count = pages.count()
        if not count:
            return 0
        parent_paths = {path[: -Page.steplen] for path in pages.values_list("path", flat=True)[:1]}
        # Sync clients must learn that these are gone (their slugs are read before the delete).
        bulk_articles_deleting.send(sender=ArticlePage, article_ids=ids)
        series_ids = list(
            Series.objects.filter(members__article__in=ids).values_list("pk", flat=True).distinct()
        )
        SeriesMember.objects.filter(series_id__in=series_ids)._raw_delete(alias)
        Series.objects.filter(pk__in=series_ids).delete()
        for model, column in (
            (SeriesMember, "article_id"),
            (ArticleAuthor, "article_id"),
            (ArticleTag, "content_object_id"),
            (ArticleReference, "article_id"),
            (ArticlePage.topics.through, "articlepage_id"),
        ):
            model._base_manager.filter(**{f"{column}__in": ids})._raw_delete(alias)
        IndexEntry.objects.filter(
            content_type=article_type,
            object_id__in=pages.annotate(key=Cast("pk", output_field=CharField())).values("key"),
        )._raw_delete(alias)
        ArticlePage._base_manager.filter(page_ptr__in=ids)._raw_delete(alias)
        pages._raw_delete(alias)
        for parent_path in parent_paths:
            children = Page.objects.filter(
                path__startswith=parent_path, depth=len(parent_path) // Page.steplen + 1
            )
            Page.objects.filter(path=parent_path).update(numchild=children.count())
        # Bulk inserts and raw deletes send no model signals: every cache must let go.
        bulk_articles_written.send(sender=ArticlePage)
    return count
