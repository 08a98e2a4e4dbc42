"""One image → a fixed-size uint8 array, with Pillow, by the column's feature options.

Transformations (W×H is the options' `size`, width first):
- `resize`: stretch to W×H;
- `crop`: scale so that the image covers W×H (the short side fits), then cut the centre;
- `pad`: scale so that the image fits inside W×H, then letterbox with the fill colour;
- `none`: keep the image as it is; an image of another size is refused.
Color modes: `grayscale` (1 channel, Pillow "L"), `rgb` (3), `rgba` (4; opaque images get alpha 255).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageColor, ImageOps, UnidentifiedImageError

from dataplane_jupyter.core.images.imaging import MAX_PIXELS

if TYPE_CHECKING:
    from .features import FeatureOptions

PIL_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
RESAMPLE = Image.Resampling.BILINEAR


class Unusable(Exception):
    """This image cannot give a tensor (unreadable, corrupt, or the wrong size for `none`)."""


def decode(data: bytes, options: "FeatureOptions") -> np.ndarray:
    """The transformed image as uint8 H×W×C (C = 1, 3 or 4); Unusable with the reason otherwise."""
    return np.asarray(transformed(data, options)).reshape(options.size[1], options.size[0], CHANNELS[options.color_mode])


def transformed(data: bytes, options: "FeatureOptions") -> Image.Image:
    """The transformed Pillow image (mode L, RGB or RGBA, exactly W×H)."""
    width, height = options.size
    image = open_image(data)
    try:
        if image.format == "JPEG" and options.transformation != "none":
            # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while staying at least W×H.
            image.draft(PIL_MODES[options.color_mode] if options.color_mode != "rgba" else "RGB", (width, height))
        image.load()
    except (OSError, SyntaxError, ValueError) as error:
        raise Unusable(f"corrupt {image.format or 'image'} data ({error})") from None
    image = to_mode(image, options.color_mode)
    if options.transformation == "none":
        if image.size != (width, height):
            raise Unusable(f"{image.width}×{image.height} pixels, not the {width}×{height} that transformation 'none' keeps")
        return image
    if options.transformation == "resize":
        return image.resize((width, height), RESAMPLE)
    if options.transformation == "crop":
        return ImageOps.fit(image, (width, height), RESAMPLE, centering=(0.5, 0.5))
    return ImageOps.pad(image, (width, height), RESAMPLE, color=fill_colour(options.fill, options.color_mode))


def open_image(data: bytes) -> Image.Image:
    """A lazily decoded image; Unusable when Pillow cannot read it or it is a pixel bomb."""
    # No warnings.catch_warnings() here: it swaps process-wide filters, and decoding runs in
    # several threads at once. Past Pillow's own limit the size is refused below instead.
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, UnidentifiedImageError):
            raise Unusable("not an image Pillow can read") from None
        raise Unusable(f"unreadable image ({error})") from None
    limit = min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)
    if image.width * image.height > limit:
        raise Unusable(f"{image.width}×{image.height} pixels is more than the {limit:,} accepted")
    return image


def to_mode(image: Image.Image, color_mode: str) -> Image.Image:
    """Convert to L / RGB / RGBA, keeping palette transparency as alpha."""
    target = PIL_MODES[color_mode]
    if image.mode == target:
        return image
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    elif image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L") if image.mode != "I" else image.convert("L")
    return image.convert(target)


def fill_colour(fill: str, color_mode: str) -> int | tuple[int, ...]:
    """The pad colour in the image's mode ("#000000" → 0 for grayscale)."""
    rgba = ImageColor.getcolor(fill, "RGBA")
    if color_mode == "grayscale":
        return ImageColor.getcolor(fill, "L")
    return rgba[:3] if color_mode == "rgb" else rgba  # type: ignore[index]


def check_fill(fill: str) -> str:
    """A colour Pillow understands (#rgb, #rrggbb, #rrggbbaa, names); ValueError otherwise."""
    ImageColor.getcolor(fill, "RGBA")
    return fill
