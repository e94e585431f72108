"""The shapes of the responses, for the OpenAPI document only: the contract tests hold the API
to them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class RenditionSetSerializer(serializers.Serializer):
    thumbnail = RenditionSerializer(help_text="fill-320x180")
    card = RenditionSerializer(help_text="fill-640x360")
    hero = RenditionSerializer(help_text="width-1600")
    thumbnail_webp = RenditionSerializer()
    card_webp = RenditionSerializer()
    hero_webp = RenditionSerializer()


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    alt = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    renditions = RenditionSetSerializer(help_text="A fixed, named set of renditions.")


class AuthorRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    credentials = serializers.CharField(allow_blank=True)


class TopicRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class SeriesRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    position = serializers.IntegerField(min_value=1, help_text="1-based among published members")
    total = serializers.IntegerField(min_value=1)


class SyndicationSerializer(serializers.Serializer):
    allowed = serializers.BooleanField(help_text="Whether partners may republish the article")
    canonical_url = serializers.URLField(help_text="Where republished copies must point")
    license = serializers.CharField()
    attribution = serializers.CharField(allow_blank=True)
    full_text = serializers.BooleanField(
        required=False,
        help_text="Partner responses only: whether this key receives the article's body",
    )


class ArticleSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    subtitle = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    api_url = serializers.URLField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reading_time_minutes = serializers.IntegerField(min_value=1)
    hero_image = ImageSerializer(allow_null=True)
    authors = AuthorRefSerializer(many=True)
    topics = TopicRefSerializer(many=True)
    tags = serializers.ListField(child=serializers.CharField())
    series = SeriesRefSerializer(allow_null=True)
    syndication = SyndicationSerializer(
        required=False, help_text="Partner responses only: the article's republishing rights"
    )


class ArticleListItemSerializer(ArticleSummarySerializer):
    """A list item: the summary, or only the fields named in `fields=` when it is given."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields


class ArticleLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()


class SeriesNavigationSerializer(serializers.Serializer):
    previous = ArticleLinkSerializer(allow_null=True)
    next = ArticleLinkSerializer(allow_null=True)


class NavigationSerializer(serializers.Serializer):
    series = SeriesNavigationSerializer(allow_null=True, help_text="In the editor's series order")
    previous = ArticleLinkSerializer(allow_null=True, help_text="Previous by publication date")
    next = ArticleLinkSerializer(allow_null=True, help_text="Next by publication date")


class BodyBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=[
            "heading",
            "paragraph",
            "image",
            "quote",
            "embed",
            "callout",
            "list",
            "table",
            "references",
        ]
    )
    id = serializers.CharField()
    value = serializers.JSONField(help_text="Shape depends on the block type; see the guide.")


class MedicalReviewSerializer(serializers.Serializer):
    reviewer = AuthorRefSerializer()
    reviewed_at = serializers.DateTimeField()
    next_review_due = serializers.DateTimeField(
        allow_null=True,
        help_text="The day the next review is due (the start of that day in UTC): the review "
        "date plus the site's review interval, or the article's own.",
    )
    status = serializers.ChoiceField(
        choices=["current", "due_soon", "overdue"],
        help_text="current; due_soon within the site's window before next_review_due; "
        "overdue from next_review_due on.",
    )


class ReferenceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField(
        help_text="The link to follow: the one given, else the DOI's, else PubMed's."
    )
    doi = serializers.CharField(
        allow_null=True, help_text="The bare DOI, e.g. 10.1056/NEJMoa2034577."
    )
    doi_url = serializers.URLField(allow_null=True, help_text="https://doi.org/ and the DOI.")
    pmid = serializers.CharField(allow_null=True, help_text="The PubMed id, digits only.")
    pubmed_url = serializers.URLField(
        allow_null=True, help_text="https://pubmed.ncbi.nlm.nih.gov/ and the PMID."
    )


class CorrectionSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When the correction was published.")
    kind = serializers.ChoiceField(
        choices=["minor", "substantive"],
        help_text="substantive: advice, a risk, a dose or a conclusion changed.",
    )
    note = serializers.CharField(help_text="What was wrong, then what changed: the text to show.")
    what_was_wrong = serializers.CharField()
    what_changed = serializers.CharField()


class SeoSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


@extend_schema_field(
    {
        "type": "object",
        "description": "schema.org JSON-LD: MedicalWebPage for a medically reviewed article, "
        "Article otherwise; the public article page embeds the same object.",
        "required": [
            "@context",
            "@type",
            "@id",
            "url",
            "headline",
            "datePublished",
            "dateModified",
            "inLanguage",
            "author",
            "publisher",
        ],
        "properties": {
            "@context": {"type": "string", "enum": ["https://schema.org"]},
            "@type": {"type": "string", "enum": ["MedicalWebPage", "Article"]},
            "@id": {"type": "string", "format": "uri"},
            "url": {"type": "string", "format": "uri"},
            "headline": {"type": "string", "maxLength": 110},
            "datePublished": {"type": "string", "format": "date-time"},
            "dateModified": {"type": "string", "format": "date-time"},
            "lastReviewed": {"type": "string", "format": "date"},
            "inLanguage": {"type": "string"},
            "author": {"type": "array", "items": {"type": "object"}},
            "reviewedBy": {"type": "object"},
            "publisher": {"type": "object"},
            "image": {"type": "string", "format": "uri"},
            "isPartOf": {"type": "object"},
            "position": {"type": "integer", "minimum": 1},
            "citation": {"type": "array", "items": {"type": "object"}},
            "creativeWorkStatus": {"type": "string", "enum": ["Retracted"]},
        },
        "additionalProperties": True,
    }
)
class StructuredDataField(serializers.JSONField):
    pass


class RetractionSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When the article was retracted")
    reason = serializers.CharField(help_text="Why, in the editors' words (plain text)")


class ArticleDetailSerializer(ArticleSummarySerializer):
    body = BodyBlockSerializer(many=True)
    body_html = serializers.CharField(allow_blank=True)
    navigation = NavigationSerializer()
    medical_review = MedicalReviewSerializer(allow_null=True)
    references = ReferenceSerializer(many=True)
    corrections = CorrectionSerializer(
        many=True, help_text="Corrections published with the article, newest first."
    )
    reading_grade = serializers.FloatField(
        allow_null=True,
        help_text="Flesch-Kincaid grade of the body's prose; null for too little prose.",
    )
    syndication = SyndicationSerializer()
    seo = SeoSerializer()
    structured_data = StructuredDataField()
    status = serializers.ChoiceField(
        choices=["published", "retracted"],
        help_text="`retracted`: withdrawn by the editors; `body` is then a retraction notice",
    )
    retraction = RetractionSerializer(allow_null=True, help_text="null unless retracted")


class SeriesSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    image = ImageSerializer(allow_null=True)
    article_count = serializers.IntegerField(min_value=0)
    updated_at = serializers.DateTimeField()


class SeriesDetailSerializer(SeriesSerializer):
    articles = ArticleSummarySerializer(many=True)


class AuthorSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    credentials = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    bio = serializers.CharField(allow_blank=True)
    photo = ImageSerializer(allow_null=True)


class TopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


def list_of(item_serializer, name: str):
    """A list envelope `{results, next, previous}` around `item_serializer`."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "results": item_serializer(many=True),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
        },
    )


ArticleListSerializer = list_of(ArticleListItemSerializer, "ArticleList")
SeriesListSerializer = list_of(SeriesSerializer, "SeriesList")
AuthorListSerializer = list_of(AuthorSerializer, "AuthorList")
TopicListSerializer = list_of(TopicSerializer, "TopicList")


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
