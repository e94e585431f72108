"""StreamField blocks of an article body, one StructBlock per kind of content."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from articles.citations import normalise_doi, normalise_pmid

# Rich text in bodies: inline emphasis, links and lists; no headings (HeadingBlock owns those,
# so every heading gets an anchor) and no embedded images (ImageBlock owns those, with credit).
PARAGRAPH_FEATURES = [
    "bold",
    "italic",
    "superscript",
    "subscript",
    "link",
    "document-link",
    "ol",
    "ul",
]
CALLOUT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


def heading_anchor(anchor: str, text: str) -> str:
    return slugify(anchor or text)[:80].strip("-") or "section"


class HeadingValue(blocks.StructValue):
    @property
    def anchor_id(self) -> str:
        """The anchor to link to: the frozen one, or (for content never cleaned) the text's."""
        return heading_anchor(self.get("anchor", ""), self.get("text", ""))


class HeadingBlock(blocks.StructBlock):
    """A section heading with an anchor that stays put when the wording is polished."""

    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (h2)"), ("h3", "Subsection (h3)")],
        default="h2",
        search_index=False,
    )
    anchor = blocks.CharBlock(
        required=False,
        search_index=False,
        max_length=80,
        help_text="Link target (#anchor). Leave blank to derive it once from the text.",
    )

    class Meta:
        icon = "title"
        description = "A section heading with a stable link anchor"
        template = "articles/blocks/heading.html"
        value_class = HeadingValue

    def clean(self, value):
        value = super().clean(value)
        # Freeze the anchor on first save so later edits of the wording keep old links working.
        value["anchor"] = heading_anchor(value.get("anchor", ""), value["text"])
        return value

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "level": value["level"], "anchor": value.anchor_id}


class ParagraphBlock(blocks.RichTextBlock):
    """Body text: paragraphs with emphasis, links and lists."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        description = "Rich text: paragraphs, emphasis, links and lists"


class ImageBlock(blocks.StructBlock):
    """An image in the body with its own alt text, caption and credit."""

    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        max_length=250, help_text="Describe the image for readers who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=400)
    credit = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        description = "An image with alt text, caption and credit"
        template = "articles/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    """A pull quote with its speaker."""

    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        description = "A pull quote with attribution"
        template = "articles/blocks/quote.html"


class ArticleEmbedBlock(blocks.StructBlock):
    """A video or social post by URL; clients render it from the URL and caption."""

    embed = EmbedBlock(help_text="A YouTube, Vimeo or other oEmbed URL")
    caption = blocks.CharBlock(required=False, max_length=400)

    class Meta:
        icon = "media"
        description = "An embedded video or post, by URL"
        template = "articles/blocks/embed.html"

    def get_api_representation(self, value, context=None):
        embed = value.get("embed")
        return {"url": embed.url if embed else "", "caption": value.get("caption", "")}


class CalloutBlock(blocks.StructBlock):
    """A boxed aside: a note, a tip, a warning, or the risks and side effects of a treatment."""

    KINDS = [
        ("note", "Note"),
        ("tip", "Tip"),
        ("warning", "Warning"),
        ("risks", "Risks and side effects"),
        ("key-points", "Key points"),
    ]

    kind = blocks.ChoiceBlock(choices=KINDS, default="note", search_index=False)
    title = blocks.CharBlock(required=False, max_length=200)
    body = blocks.RichTextBlock(features=CALLOUT_FEATURES)

    class Meta:
        icon = "warning"
        description = "A boxed note, tip, warning or risks-and-side-effects panel"
        template = "articles/blocks/callout.html"


class ListBlock(blocks.StructBlock):
    """A plain bulleted or numbered list of short items."""

    style = blocks.ChoiceBlock(
        choices=[("unordered", "Bulleted"), ("ordered", "Numbered")],
        default="unordered",
        search_index=False,
    )
    items = blocks.ListBlock(blocks.CharBlock(max_length=500), min_num=1)

    class Meta:
        icon = "list-ul"
        description = "A bulleted or numbered list"
        template = "articles/blocks/list.html"


class ArticleTableBlock(TableBlock):
    """A data table with an optional header row and caption."""

    class Meta:
        icon = "table"
        description = "A table of data"


class CitationBlock(blocks.StructBlock):
    """A scholarly reference: who, what, where, when, and a link or DOI."""

    authors = blocks.CharBlock(required=False, max_length=400, help_text="e.g. Smith J, Jones K")
    title = blocks.CharBlock(max_length=400)
    source = blocks.CharBlock(required=False, max_length=200, help_text="Journal or publisher")
    year = blocks.IntegerBlock(required=False, min_value=1800, max_value=2100)
    url = blocks.URLBlock(required=False, search_index=False)
    doi = blocks.CharBlock(
        required=False, max_length=200, help_text="e.g. 10.1000/xyz123", search_index=False
    )
    pmid = blocks.CharBlock(
        required=False,
        max_length=40,
        label="PubMed id",
        help_text="e.g. 33301246",
        search_index=False,
    )

    class Meta:
        icon = "doc-full"
        description = "A citation to a study or source"

    def clean(self, value):
        """The DOI and PMID checked and stored in one form (articles/citations.py)."""
        value = super().clean(value)
        errors = {}
        for name, normalise in (("doi", normalise_doi), ("pmid", normalise_pmid)):
            raw = value.get(name) or ""
            if not raw.strip():
                value[name] = ""
                continue
            try:
                value[name] = normalise(raw)
            except ValidationError as error:
                errors[name] = error
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class ReferencesBlock(blocks.StructBlock):
    """A numbered list of citations, usually closing the article."""

    heading = blocks.CharBlock(required=False, max_length=200, default="References")
    citations = blocks.ListBlock(CitationBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        description = "A numbered list of citations"
        template = "articles/blocks/references.html"


class ArticleBodyBlock(blocks.StreamBlock):
    """Everything an article body may contain, in any order."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    embed = ArticleEmbedBlock()
    callout = CalloutBlock()
    list = ListBlock()
    table = ArticleTableBlock()
    references = ReferencesBlock()

    class Meta:
        block_counts = {"references": {"max_num": 1}}
