"""The fixed, named set of image renditions clients may ask for: one spec per name."""

# Clients choose among these names only; filter specs never come from a request.
RENDITIONS = {
    "thumbnail": "fill-320x180",
    "card": "fill-640x360",
    "hero": "width-1600",
    "thumbnail_webp": "fill-320x180|format-webp",
    "card_webp": "fill-640x360|format-webp",
    "hero_webp": "width-1600|format-webp",
}
RENDITION_SPECS = tuple(RENDITIONS.values())
