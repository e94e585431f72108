"""`api_fields` for Wagtail's API v2 equivalent to our summary and detail fields (bench only).

Declared here rather than on the models so that the application carries no v2 configuration.
The fields are what a Wagtail site would write for the same contract: an image rendition field
per named rendition, serializer fields for bylines, topics, series and the medical reviewer,
the StreamField's own API representation, and the rendered body for `body_html`. v2 has no
query planning, so related fields cost queries per item: that is the reference we measure.
"""

from rest_framework import serializers
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField

from articles.models import ArticlePage, ArticleReference
from articles.renditions import RENDITIONS
from bench.fields import RENDITION_NAMES


class AuthorsField(serializers.Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, article):
        return [
            {"slug": b.author.slug, "name": b.author.name, "credentials": b.author.credentials}
            for b in article.article_authors.select_related("author")
        ]


class TopicsField(serializers.Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, article):
        return [{"slug": t.slug, "name": t.name} for t in article.topics.all()]


class SeriesField(serializers.Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, article):
        membership = article.series_membership
        if membership is None:
            return None
        members = list(
            membership.series.members.filter(article__live=True)
            .order_by("sort_order")
            .values_list("article_id", flat=True)
        )
        return {
            "slug": membership.series.slug,
            "title": membership.series.title,
            "position": members.index(article.pk) + 1,
            "total": len(members),
        }


class MedicalReviewField(serializers.Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, article):
        reviewer = article.medical_reviewer
        if reviewer is None:
            return None
        return {
            "reviewer": {
                "slug": reviewer.slug,
                "name": reviewer.name,
                "credentials": reviewer.credentials,
            },
            "reviewed_at": article.medical_reviewed_at,
        }


class BodyHtmlField(serializers.Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, article):
        return str(article.body)


def declare_api_fields() -> None:
    if tuple(RENDITIONS) != RENDITION_NAMES:
        raise RuntimeError(
            "bench/fields.py RENDITION_NAMES no longer matches articles/renditions.py"
        )
    renditions = [
        APIField(f"hero_{name}", serializer=ImageRenditionField(spec, source="hero_image"))
        for name, spec in RENDITIONS.items()
    ]
    ArticlePage.api_fields = [
        APIField("subtitle"),
        APIField("summary"),
        APIField("last_published_at"),
        APIField("reading_time_minutes"),
        APIField("hero_image_alt"),
        *renditions,
        APIField("authors", serializer=AuthorsField()),
        APIField("topics", serializer=TopicsField()),
        APIField("tags"),
        APIField("series", serializer=SeriesField()),
        APIField("body"),
        APIField("body_html", serializer=BodyHtmlField()),
        APIField("medical_review", serializer=MedicalReviewField()),
        APIField("references"),
        APIField("syndication_allowed"),
        APIField("syndication_license"),
        APIField("syndication_attribution"),
        APIField("canonical_url"),
    ]
    ArticleReference.api_fields = [APIField("title"), APIField("url")]
