"""The v2 field names equivalent to our summary and detail (plain data: no Django import)."""

# The API's named renditions (articles/renditions.py); bench/v2.py checks they still match.
RENDITION_NAMES = ("thumbnail", "card", "hero", "thumbnail_webp", "card_webp", "hero_webp")

SUMMARY_FIELDS = [
    "subtitle",
    "summary",
    "last_published_at",
    "reading_time_minutes",
    "hero_image_alt",
    *(f"hero_{name}" for name in RENDITION_NAMES),
    "authors",
    "topics",
    "tags",
    "series",
]
DETAIL_FIELDS = [
    "body",
    "body_html",
    "medical_review",
    "references",
    "syndication_allowed",
    "syndication_license",
    "syndication_attribution",
    "canonical_url",
]
