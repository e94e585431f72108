"""The fixed, named set of image renditions the API offers, and the image object it returns."""

from api.addresses import absolute

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


def image_object(image, *, alt: str = "") -> dict | None:
    """The API's image object for a loaded image whose renditions were prefetched.

    Renditions missing from the prefetch (an image published before the worker warmed it)
    are generated here, once, and stored: a slow first request rather than a broken image.
    """
    if image is None:
        return None
    renditions = image.get_renditions(*RENDITION_SPECS)
    return {
        "id": image.pk,
        "alt": alt or image.default_alt_text or "",
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {
                "url": absolute(renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in RENDITIONS.items()
        },
    }
