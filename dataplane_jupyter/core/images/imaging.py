"""Looking at image files with Pillow: format, size, colour mode, corruption, thumbnails."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, UnidentifiedImageError

#: The formats the platform accepts (spec 002: jpg/jpeg, png, gif), as Pillow names them.
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF")
THUMBNAIL_SIZE = (128, 128)
#: Images larger than this many pixels are refused (Pillow's decompression-bomb guard).
MAX_PIXELS = 178_956_970


class BadImage(Exception):
    """Not a readable jpg/png/gif image; the message says why."""


@dataclass(frozen=True)
class ImageFacts:
    """What an image is: its format, size and colour mode."""

    format: str
    width: int
    height: int
    mode: str


def inspect(stream: IO[bytes]) -> ImageFacts:
    """Format, size and mode from the header, then a full decode to catch truncated files."""
    image = _open(stream)
    facts = ImageFacts(image.format or "", image.width, image.height, image.mode)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise BadImage(f"corrupt {facts.format} data ({error})") from None
    return facts


def inspect_with_thumbnail(stream: IO[bytes]) -> tuple[ImageFacts, bytes, str]:
    """Facts plus a small thumbnail: JPEG for opaque images, PNG when there is transparency."""
    image = _open(stream)
    facts = ImageFacts(image.format or "", image.width, image.height, image.mode)
    try:
        if image.format == "JPEG":
            image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))
        image.load()
        image.thumbnail(THUMBNAIL_SIZE)
    except (OSError, SyntaxError, ValueError) as error:
        raise BadImage(f"corrupt {facts.format} data ({error})") from None
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    out = io.BytesIO()
    if transparent:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return facts, out.getvalue(), "image/png"
    image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(out, "JPEG", quality=80)
    return facts, out.getvalue(), "image/jpeg"


def _open(stream: IO[bytes]) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        if isinstance(error, UnidentifiedImageError):
            raise BadImage("not an image Pillow can read") from None
        raise BadImage(f"too many pixels ({error})") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise BadImage(f"unreadable image ({error})") from None
    if image.format not in ACCEPTED_FORMATS:
        raise BadImage(f"{image.format} images are not accepted: use jpg, png or gif")
    if image.width * image.height > MAX_PIXELS:
        raise BadImage(f"{image.width}×{image.height} pixels is more than the {MAX_PIXELS:,} accepted")
    return image
