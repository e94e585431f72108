"""Demo images: drawn with Pillow (hero art, portraits), deterministic, stored as Wagtail images."""

import math
import random
import zlib
from collections.abc import Callable
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

DEMO_COLLECTION = "Demo"

HERO_SIZE = (1600, 900)
PORTRAIT_SIZE = (600, 750)
MOTIFS = ("cells", "waves", "rings", "grid", "arcs")


def _seed(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    """A diagonal two-colour gradient, built small and scaled up (fast, smooth)."""
    start, end = _rgb(top), _rgb(bottom)
    small = Image.new("RGB", (2, 2))
    small.putdata([start, _mix(start, end, 0.5), _mix(start, end, 0.5), end])
    return small.resize(size, Image.Resampling.BILINEAR)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError, ImportError):  # Pillow built without FreeType
        return ImageFont.load_default()


def _to_jpeg(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _draw_motif(layer: Image.Image, *, motif: str, rng: random.Random, colour: tuple) -> None:
    draw = ImageDraw.Draw(layer)
    width, height = layer.size
    if motif == "cells":
        for _ in range(26):
            x, y = rng.randrange(width), rng.randrange(height)
            r = rng.randrange(30, 150)
            draw.ellipse((x - r, y - r, x + r, y + r), outline=(*colour, 150), width=6)
            draw.ellipse((x - r // 4, y - r // 4, x + r // 4, y + r // 4), fill=(*colour, 90))
    elif motif == "waves":
        for band in range(9):
            base = height * (band + 1) / 10
            amplitude = rng.randrange(20, 70)
            wavelength = rng.randrange(300, 700)
            phase = rng.uniform(0, math.tau)
            points = [
                (x, base + amplitude * math.sin(phase + math.tau * x / wavelength))
                for x in range(0, width + 20, 20)
            ]
            draw.line(points, fill=(*colour, 110), width=5, joint="curve")
    elif motif == "rings":
        cx, cy = width * rng.uniform(0.55, 0.75), height * rng.uniform(0.35, 0.65)
        for step in range(14):
            r = 50 + step * 55
            draw.ellipse(
                (cx - r, cy - r, cx + r, cy + r), outline=(*colour, 170 - step * 10), width=4
            )
        for _ in range(40):
            x, y = rng.randrange(width), rng.randrange(height)
            draw.line((cx, cy, x, y), fill=(*colour, 40), width=2)
    elif motif == "grid":
        cell = 100
        for gx in range(0, width, cell):
            for gy in range(0, height, cell):
                if rng.random() < 0.45:
                    inset = rng.randrange(8, 30)
                    box = (gx + inset, gy + inset, gx + cell - inset, gy + cell - inset)
                    if rng.random() < 0.5:
                        draw.ellipse(box, fill=(*colour, rng.randrange(50, 160)))
                    else:
                        draw.rounded_rectangle(
                            box, radius=14, fill=(*colour, rng.randrange(50, 160))
                        )
    else:  # arcs
        for _ in range(18):
            x, y = rng.randrange(width), rng.randrange(height)
            r = rng.randrange(120, 420)
            start = rng.randrange(0, 360)
            draw.arc(
                (x - r, y - r, x + r, y + r),
                start,
                start + rng.randrange(60, 200),
                fill=(*colour, 140),
                width=rng.randrange(4, 16),
            )


def hero_jpeg(*, title: str, colors: tuple[str, str], motif: str, label: str = "") -> bytes:
    """A 16:9 abstract illustration: gradient, a motif of soft shapes and an optional label."""
    if motif not in MOTIFS:
        raise ValueError(f"Unknown motif {motif!r}; choose one of {', '.join(MOTIFS)}.")
    rng = random.Random(_seed(title))
    image = _gradient(HERO_SIZE, *colors).convert("RGBA")
    layer = Image.new("RGBA", HERO_SIZE, (0, 0, 0, 0))
    _draw_motif(layer, motif=motif, rng=rng, colour=(255, 255, 255))
    layer = layer.filter(ImageFilter.BoxBlur(1))
    image = Image.alpha_composite(image, layer)
    if label:
        draw = ImageDraw.Draw(image)
        font = _font(56)
        text_width = draw.textlength(label, font=font)
        bottom = HERO_SIZE[1] - 60
        draw.rounded_rectangle(
            (60, bottom - 90, 140 + text_width, bottom), radius=20, fill=(0, 0, 0, 120)
        )
        draw.text((100, bottom - 75), label, font=font, fill=(255, 255, 255, 255))
    return _to_jpeg(image)


def portrait_jpeg(*, name: str, colors: tuple[str, str]) -> bytes:
    """A stylised head-and-shoulders silhouette with the person's initials (a stand-in photo)."""
    rng = random.Random(_seed(name))
    width, height = PORTRAIT_SIZE
    image = _gradient(PORTRAIT_SIZE, *colors).convert("RGBA")
    draw = ImageDraw.Draw(image)
    skin = rng.choice(
        [(241, 204, 170), (224, 172, 133), (198, 134, 96), (141, 85, 58), (96, 61, 40)]
    )
    clothing = _mix(_rgb(colors[1]), (20, 20, 30), 0.55)
    hair = rng.choice([(40, 30, 25), (90, 60, 35), (170, 130, 80), (120, 120, 120), (20, 20, 20)])
    cx = width // 2
    draw.ellipse((cx - 260, height - 260, cx + 260, height + 260), fill=(*clothing, 255))
    draw.rectangle((cx - 45, height - 330, cx + 45, height - 230), fill=(*skin, 255))
    draw.ellipse((cx - 140, 150, cx + 140, 470), fill=(*hair, 255))
    draw.ellipse((cx - 120, 190, cx + 120, 470), fill=(*skin, 255))
    if rng.random() < 0.5:  # fringe
        draw.chord((cx - 125, 165, cx + 125, 330), 180, 360, fill=(*hair, 255))
    initials = "".join(part[0] for part in name.replace(".", "").split()[-2:]).upper()
    draw.text((30, 30), initials, font=_font(48), fill=(255, 255, 255, 220))
    return _to_jpeg(image)


# Storage as Wagtail images


def demo_collection_ensure() -> tuple[Collection, bool]:
    """The "Demo" collection under the root collection, and whether it was just created."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=DEMO_COLLECTION).first()
    if existing is not None:
        return existing, False
    return root.add_child(name=DEMO_COLLECTION), True


def demo_image_ensure(
    *, title: str, filename: str, draw: Callable[[], bytes], collection: Collection
) -> tuple[AbstractImage, bool]:
    """The image titled `title`, drawn and stored if there is none; and whether it was created.

    Drawing is deterministic, so a file left in storage by a run before a database reset is
    reused when its bytes are identical and no other image uses it, instead of being copied.
    """
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    data = draw()
    file_hash = hash_filelike(BytesIO(data))
    image = image_model(title=title, collection=collection, file_size=len(data))
    name = image.file.field.generate_filename(image, filename)
    storage = image.file.storage
    if (
        storage.exists(name)
        and not image_model.objects.filter(file=name).exists()
        and _stored_hash(storage, name) == file_hash
    ):
        image.file = name
        with Image.open(BytesIO(data)) as drawn:
            image.width, image.height = drawn.size
    else:
        image.file = ImageFile(BytesIO(data), name=filename)
    image.file_hash = file_hash
    image.save()
    return image, True


def _stored_hash(storage, name: str) -> str:
    with storage.open(name) as stored:
        return hash_filelike(stored)
