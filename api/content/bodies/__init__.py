"""Article bodies as the API's typed blocks and sanitised HTML, from already-loaded data only."""

from api.content.bodies.blocks import RENDERERS, body_references, render_body
from api.content.bodies.notice import retraction_notice
from api.content.bodies.rich_text import BodyContext, BodyReferences, rich_text_html
from api.content.bodies.sanitising import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    LINK_REL,
    sanitise_html,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "LINK_REL",
    "RENDERERS",
    "BodyContext",
    "BodyReferences",
    "body_references",
    "render_body",
    "retraction_notice",
    "rich_text_html",
    "sanitise_html",
]
