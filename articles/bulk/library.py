"""The shared material of bulk articles: images with their renditions, authors, topics, tags."""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Collection

from articles.bulk import words
from articles.demo import images as drawings
from articles.models import Author, Topic
from articles.renditions import RENDITION_SPECS

BULK_COLLECTION = "Bulk"
HERO_IMAGES = 24
PORTRAITS = 8
AUTHORS = 60
IMAGE_CREDIT = "Illustration: Folio Health (generated benchmark image)"
MOTIFS = drawings.MOTIFS
PALETTES = [
    ("#264653", "#2a9d8f"),
    ("#e76f51", "#f4a261"),
    ("#3d405b", "#81b29a"),
    ("#5f0f40", "#9a031e"),
    ("#003049", "#669bbc"),
    ("#283618", "#606c38"),
    ("#6d597a", "#e56b6f"),
    ("#1d3557", "#457b9d"),
]


@dataclass
class Library:
    """What every article draws from: images, people, topics and tags (loaded once)."""

    heroes: list
    authors: list[Author]
    reviewers: list[Author]
    topics: list[Topic]
    tags: dict[str, Tag]


def _collection_ensure() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=BULK_COLLECTION).first()
    return existing or root.add_child(name=BULK_COLLECTION)


def library_ensure(*, seed: int, log: Callable[[str], None]) -> Library:
    rng = random.Random(seed)  # noqa: S311 (reproducible test data)
    collection = _collection_ensure()
    heroes = []
    for number in range(HERO_IMAGES):
        title = f"Bulk hero {number + 1:02d}"
        colors = PALETTES[number % len(PALETTES)]
        motif = MOTIFS[number % len(MOTIFS)]
        image, _ = drawings.demo_image_ensure(
            title=title,
            filename=f"bulk-hero-{number + 1:02d}.jpg",
            draw=lambda title=title, colors=colors, motif=motif: drawings.hero_jpeg(
                title=title, colors=colors, motif=motif
            ),
            collection=collection,
        )
        heroes.append(image)
    portraits = []
    for number in range(PORTRAITS):
        name = f"{words.FIRST_NAMES[number]} {words.LAST_NAMES[number]}"
        image, _ = drawings.demo_image_ensure(
            title=f"Bulk portrait {number + 1:02d}",
            filename=f"bulk-portrait-{number + 1:02d}.jpg",
            draw=lambda name=name, number=number: drawings.portrait_jpeg(
                name=name, colors=PALETTES[number % len(PALETTES)]
            ),
            collection=collection,
        )
        portraits.append(image)
    # The API's named renditions, generated once per image (as the worker does on publish).
    missing = 0
    rendition_model = get_image_model().get_rendition_model()
    for image in [*heroes, *portraits]:
        have = set(
            rendition_model.objects.filter(image=image, filter_spec__in=RENDITION_SPECS)
            .values_list("filter_spec", flat=True)
            .distinct()
        )
        if have != set(RENDITION_SPECS):
            missing += 1
            image.get_renditions(*RENDITION_SPECS)
    if missing:
        log(f"Generated the API renditions of {missing} images.")

    topics = []
    for name, description in words.TOPICS:
        topic, _ = Topic.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
        topics.append(topic)

    people = []
    seen = set()
    while len(people) < AUTHORS:
        name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        if name in seen:
            continue
        seen.add(name)
        people.append(name)
    authors = []
    for number, name in enumerate(people):
        credentials = words.CREDENTIALS[number % len(words.CREDENTIALS)] if number % 4 == 0 else ""
        author, _ = Author.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "credentials": credentials,
                "role": words.ROLES[number % len(words.ROLES)],
                "bio": f"{name} writes about "
                f"{', '.join(rng.sample(words.SUBJECTS, 3))} for Folio Health.",
                "photo": portraits[number % len(portraits)],
            },
        )
        authors.append(author)

    tag_names = list(dict.fromkeys([*words.TAGS, *(s.lower() for s in words.SUBJECTS)]))
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=tag_names)}
    new_tags = [Tag(name=name, slug=slugify(name)) for name in tag_names if name not in tags]
    taken = set(
        Tag.objects.filter(slug__in=[t.slug for t in new_tags]).values_list("slug", flat=True)
    )
    for tag in new_tags:
        if tag.slug in taken:
            tag.slug = f"{tag.slug}-{uuid.uuid4().hex[:6]}"
        taken.add(tag.slug)
    Tag.objects.bulk_create(new_tags)
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=tag_names)}
    return Library(
        heroes=heroes,
        authors=authors,
        reviewers=[a for a in authors if a.can_review],
        topics=topics,
        tags=tags,
    )
