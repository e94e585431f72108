"""The series list and a series' detail with its visible members in order."""

from dataclasses import replace

from rest_framework.response import Response

from api.content import schema
from api.content.filters import LIST_PARAMETERS, parse_limit
from api.content.images import image_object
from api.content.orderings import SERIES_BY_TITLE
from api.content.pagination import keyset_page
from api.content.serializers import article_summaries, series_summary
from api.content.summaries import summary_attrs
from api.content.views.base import ReadOnlyView, list_response
from api.content.visibility import visibility_for
from api.delivery.cdn import keys
from api.errors import NotFound
from api.partners.keys import partner_of
from api.partners.rights import partner_full_text
from articles.selectors import (
    Placement,
    series_articles,
    series_by_slug,
    series_with_counts,
)


class SeriesListView(ReadOnlyView):
    """Published series by title, each with its count of visible articles."""

    parameters = LIST_PARAMETERS

    @schema.list_operation("series_list", schema.SeriesListSerializer)
    def get(self, request):
        params = self.params
        visibility = visibility_for(request)
        page = keyset_page(
            series_with_counts(visibility),
            SERIES_BY_TITLE,
            limit=parse_limit(params),
            cursor=params.get("cursor"),
            request=request,
        )
        self.surrogate_keys = [keys.SERIES_COLLECTION]
        for series in page.items:
            self.surrogate_keys += [keys.series(series.pk), *keys.images([series.image_id])]
        results = [
            series_summary(
                s, article_count=s.article_count, image=image_object(s.image, alt=s.title)
            )
            for s in page.items
        ]
        return list_response(results, page)


class SeriesDetailView(ReadOnlyView):
    """One series by its slug, with its visible articles in reading order."""

    @schema.detail_operation("series_retrieve", schema.SeriesDetailSerializer)
    def get(self, request, slug: str):
        visibility = visibility_for(request)
        series = series_by_slug(visibility, slug)
        if series is None:
            raise NotFound(f"No published series has the slug {slug!r}.")
        members = series_articles(visibility, series)
        self.last_modified = max(
            [m.last_published_at for m in members] + [series.last_published_at or series.updated_at]
        )
        loaded = summary_attrs(visibility, members, series=False)
        total = len(members)
        # Each member's summary names its place in this series (loaded without series).
        attrs = {
            member.pk: replace(
                loaded[member.pk],
                placement=Placement(
                    series_id=series.pk,
                    series_slug=series.slug,
                    series_title=series.title,
                    position=index + 1,
                    total=total,
                    previous=None,
                    next=None,
                ),
            )
            for index, member in enumerate(members)
        }
        data = series_summary(
            series, article_count=total, image=image_object(series.image, alt=series.title)
        )
        data["articles"] = article_summaries(
            members,
            attrs,
            site_url_path=visibility.site_url_path,
            full_text=partner_full_text(partner_of(request), members),
        )
        self.surrogate_keys = [
            keys.series(series.pk),
            *keys.images([series.image_id]),
            *keys.summaries_keys(members, loaded),
        ]
        return Response(data)
