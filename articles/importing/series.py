"""Chains found in the posts made into draft series, once per chain and export."""

from articles.importing.chains import chains_find
from articles.importing.objects import unique_slug
from articles.models import ImportedItem, Series, SeriesMember


def chains_apply(*, writer, report) -> None:
    """A draft series for each unambiguous chain; the ambiguous ones only reported."""
    found = chains_find(writer.navigation, writer.titles)
    objects = writer.objects
    for ambiguous in found.ambiguous:
        report.ambiguous_chains.append(
            {
                "post_ids": ambiguous.post_ids,
                "titles": [
                    writer.titles.get(post_id, str(post_id)) for post_id in ambiguous.post_ids
                ],
                "reason": ambiguous.reason,
            }
        )
    for chain in found.chains:
        page_ids = [writer.page_id_for(post_id) for post_id in chain.post_ids]
        entry = {
            "title": chain.title,
            "post_ids": chain.post_ids,
            "titles": [writer.titles.get(post_id, str(post_id)) for post_id in chain.post_ids],
            "series_id": None,
            "action": "",
        }
        report.chains.append(entry)
        if None in page_ids:
            entry["action"] = "not made: a post of it was not imported"
            continue
        key = str(chain.post_ids[0])
        item = objects.items.get((ImportedItem.SERIES, key))
        series = item.series if item is not None and item.series_id else None
        elsewhere = (
            SeriesMember.objects.filter(article_id__in=page_ids)
            .exclude(series_id=series.pk if series else None)
            .select_related("series")
            .first()
        )
        if elsewhere is not None:
            entry["action"] = f"not made: an article of it is already in “{elsewhere.series.title}”"
            report.count("series", "not made")
            continue
        if series is not None:
            entry["series_id"] = series.pk
            current = list(
                series.members.order_by("sort_order").values_list("article_id", flat=True)
            )
            edited = item.revision_id is not None and series.latest_revision_id != item.revision_id
            if current == page_ids and not edited:
                entry["action"] = "unchanged"
                report.count("series", "unchanged")
                continue
            if edited and not writer.options.overwrite:
                entry["action"] = "left alone (edited since it was imported)"
                report.count("series", "left alone (edited since)")
                continue
            series.members = [
                SeriesMember(article_id=pk, sort_order=i) for i, pk in enumerate(page_ids)
            ]
            action = "updated"
        else:
            slug = unique_slug(
                chain.title, lambda s: Series.objects.filter(slug=s).exists(), limit=250
            )
            series = Series(
                title=chain.title[:255],
                slug=slug,
                live=False,
                members=[
                    SeriesMember(article_id=pk, sort_order=i) for i, pk in enumerate(page_ids)
                ],
            )
            action = "created"
        if not series.live:
            series.save()
        revision = series.save_revision(user=writer.options.user)
        objects.record(ImportedItem.SERIES, key, series=series, revision=revision)
        entry["series_id"], entry["action"] = series.pk, action
        report.count("series", action)
