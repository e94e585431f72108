"""The API's image object (the named renditions of articles/renditions.py), and their warming."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError
from wagtail.signals import page_published, published

from api.content.addresses import absolute
from articles.renditions import RENDITION_SPECS, RENDITIONS

logger = logging.getLogger("folio.api.images")


def image_object(image, *, alt: str = "") -> dict | None:
    """The API's image object for a loaded image whose renditions were prefetched.

    Renditions missing from the prefetch (an image published before the worker warmed it)
    are generated here, once, and stored: a slow first request rather than a broken image.
    """
    if image is None:
        return None
    renditions = _prefetched_renditions(image)
    try:
        if renditions is None:
            renditions = image.get_renditions(*RENDITION_SPECS)
    except SourceImageIOError:
        # The original file is gone from storage: show no image rather than fail the response.
        logger.warning("image %s has no readable original file; omitted", image.pk, exc_info=True)
        return None
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


def _prefetched_renditions(image) -> dict | None:
    """The named renditions straight from the prefetch, when it holds all of them.

    The usual case on a warm site (the worker made them at publish time). Skips
    `get_renditions`' per-call filter parsing and cache lookups, which cost more than the
    rest of an image's shaping; anything missing falls back to it.
    """
    prefetched = getattr(image, "_prefetched_objects_cache", {}).get("renditions")
    if prefetched is None:
        return None
    by_spec = {rendition.filter_spec: rendition for rendition in prefetched}
    # Two of one spec (an older focal point's, say): let Wagtail pick the current one.
    if len(by_spec) != len(prefetched) or not all(spec in by_spec for spec in RENDITION_SPECS):
        return None
    return by_spec


# Warm-up: renditions are made by the worker when content is published, so that requests
# find them prefetched instead of generating them one image at a time.


@task()
def renditions_generate(image_ids: list[int]) -> None:
    """Create every named rendition of the given images that does not exist yet."""
    for image in get_image_model().objects.filter(pk__in=image_ids):
        image.get_renditions(*RENDITION_SPECS)


def renditions_warm(image_ids) -> None:
    ids = sorted({pk for pk in image_ids if pk})
    if ids:
        transaction.on_commit(lambda: renditions_generate.enqueue(ids))


@receiver(page_published, dispatch_uid="api-renditions-page")
def warm_article_images(sender, instance, **kwargs):
    from api.content.bodies import body_references

    body = getattr(instance, "body", None)
    body_images = body_references(body).image_ids if body is not None else ()
    renditions_warm([getattr(instance, "hero_image_id", None), *body_images])


@receiver(published, dispatch_uid="api-renditions-snippet")
def warm_series_image(sender, instance, **kwargs):
    renditions_warm([getattr(instance, "image_id", None)])


@receiver(post_save, sender="articles.Author", dispatch_uid="api-renditions-author")
def warm_author_photo(sender, instance, **kwargs):
    renditions_warm([instance.photo_id])
