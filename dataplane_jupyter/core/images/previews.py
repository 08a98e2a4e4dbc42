"""What the details show for image and tensor columns.

Images: for a few rows, the original (a thumbnail) beside the example as the model gets it
(transformed by the options: the stored ones, or options being tried before they are saved).

Tensors: one row drawn by its number of dimensions — 1-D as a line, 2-D as a heatmap, 3-D with
1, 3 or 4 channels as an image, anything else as its shape with a slice picker (leading indices
fixed until two dimensions remain, drawn as a heatmap) — plus the per-position mean and spread
(standard deviation) across rows, on the same view.
"""

from __future__ import annotations

import base64
import io
import math
from typing import Any, Literal

import numpy as np
from PIL import Image
from pydantic import Field

from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.images.columns import Column
from dataplane_jupyter.core.images.features import FeatureOptions
from dataplane_jupyter.core.images.remote import RemoteImages
from dataplane_jupyter.core.images.tensors import ImageFillWarning
from dataplane_jupyter.core.images.transform import Unusable, open_image, transformed
from dataplane_jupyter.core.models import Record

THUMBNAIL = 128
SHOWN = 160  # the transformed example is drawn at most this many pixels wide or high
MAX_ROWS = 24
STAT_ROWS = 1_000
MAX_LINE = 2_000
MAX_SIDE = 128


class ImagePreviewItem(Record):
    """One row: its original image and the example the model gets."""

    row: int
    value: str | None = Field(None, description="The stored path or URL")
    original: str | None = Field(None, description="Thumbnail of the image as stored (data: URL)")
    original_size: list[int] | None = Field(None, description="[width, height] of the stored image")
    original_mode: str | None = Field(None, description="Pillow colour mode of the stored image")
    transformed: str | None = Field(None, description="The transformed example (data: URL, PNG)")
    error: str | None = Field(None, description="Why this row gives zeros (missing or unusable image)")


class ImagePreview(Record):
    """Original vs transformed thumbnails of a few rows, with the options applied."""

    column: str
    options: FeatureOptions
    shape: list[int] = Field(description="[height, width, channels] of one example")
    offset: int
    rows: int = Field(description="Rows in the column")
    items: list[ImagePreviewItem]


class TensorView(Record):
    """One row of a tensor column drawn by its dimensions, with the mean and spread across rows."""

    column: str
    row: int
    rows: int = Field(description="Rows in the column")
    shape: list[int] = Field(description="Shape of one example")
    view: Literal["scalar", "line", "heatmap", "image"]
    index: list[int] = Field(default_factory=list, description="Leading indices fixed to reach a 2-D slice")
    stride: int = Field(1, description="Every stride-th position is shown (large tensors)")
    values: Any = Field(description="The row's slice: a number, a list (line) or a list of lists (heatmap/image)")
    mean: Any = Field(description="Per-position mean across rows, same view")
    std: Any = Field(description="Per-position standard deviation across rows, same view")
    image: str | None = Field(None, description="The row as an image (data: URL), for the image view")
    mean_image: str | None = None
    std_image: str | None = None
    min: float | None = None
    max: float | None = None
    stat_rows: int = Field(description="Rows the mean and spread were computed over")


def data_url(image: Image.Image, fmt: str = "PNG") -> str:
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 80} if fmt == "JPEG" else {}))
    media = "image/jpeg" if fmt == "JPEG" else "image/png"
    return f"data:{media};base64,{base64.b64encode(out.getvalue()).decode()}"


def image_preview(column: Column, *, rows: int = 6, offset: int = 0, options: FeatureOptions | None = None,
                  connector: str | None = None) -> ImagePreview:
    """Thumbnails of `rows` rows from `offset`: stored image and transformed example."""
    if not 1 <= rows <= MAX_ROWS:
        raise InvalidInput(f"rows must be 1 to {MAX_ROWS}, not {rows}.", field="rows")
    if offset < 0:
        raise InvalidInput(f"offset must be 0 or more, not {offset}.", field="offset")
    column._require_image()
    chosen = options or column.at_version(None)
    values: list[str | None] = []
    seen = 0
    for chunk in column.value_batches(256):
        if seen + len(chunk) > offset:
            values += chunk.slice(max(0, offset - seen)).to_pylist()
        seen += len(chunk)
        if len(values) >= rows:
            break
    values = values[:rows]
    urls = [v.strip() if isinstance(v, str) and "://" in v else None for v in values]
    fetched = RemoteImages(column.project, connector=connector).fetch(urls) if any(urls) else None
    items = []
    for i, value in enumerate(values):
        item = ImagePreviewItem(row=offset + i, value=value)
        items.append(item)
        if not (isinstance(value, str) and value.strip()):
            item.error = "no image (empty value)"
            continue
        try:
            if fetched is not None and urls[i]:
                if fetched.data[i] is None:
                    raise Unusable(fetched.errors.get(i, "not fetched"))
                data = fetched.data[i]
            else:
                with column.open_value(value.strip()) as stream:
                    data = stream.read()
        except (OSError, InvalidInput, Unusable) as error:
            item.error = str(error)
            continue
        try:
            original = open_image(data)  # type: ignore[arg-type]  # None was answered above
            item.original_size, item.original_mode = [original.width, original.height], original.mode
            original.load()
            original.thumbnail((THUMBNAIL, THUMBNAIL))
            item.original = data_url(original.convert("RGBA" if "A" in original.mode or "transparency" in original.info else "RGB"))
        except Unusable as error:
            item.error = str(error)
            continue
        except (OSError, SyntaxError, ValueError) as error:
            item.error = f"corrupt {original.format or 'image'} data ({error})"
            continue
        try:
            example = transformed(data, chosen)  # type: ignore[arg-type]  # None was answered above
        except Unusable as error:
            item.error = str(error)
            continue
        scale = min(1.0, SHOWN / max(example.size))
        if scale < 1:
            example = example.resize((max(1, round(example.width * scale)), max(1, round(example.height * scale))), Image.Resampling.BILINEAR)
        item.transformed = data_url(example)
    return ImagePreview(column=column.name, options=chosen, shape=list(chosen.shape), offset=offset,
                        rows=column.rows(), items=items)


def tensor_view(column: Column, *, row: int = 0, index: list[int] | None = None) -> TensorView:
    """One row of a tensor (or numeric) column, drawn by its dimensions."""
    kind = column.kind()
    if kind not in ("tensor", "numeric"):
        raise InvalidInput(f"Column {column.name!r} holds {kind} values: tensor views are for tensor columns.", field="column")
    total = column.rows()
    if not 0 <= row < max(total, 1):
        raise InvalidInput(f"row must be 0 to {total - 1}, not {row}.", field="row")
    import warnings


    sample, example, seen = [], None, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImageFillWarning)
        for batch in column.iter_arrays(1024):
            if seen < STAT_ROWS:
                sample.append(batch[: STAT_ROWS - seen])
            if example is None and seen <= row < seen + len(batch):
                example = batch[row - seen]
            seen += len(batch)
            if example is not None and seen >= STAT_ROWS:
                break
    if example is None:
        raise InvalidInput(f"row must be 0 to {seen - 1}, not {row}.", field="row")
    stack = np.concatenate(sample) if sample else example[None]
    mean, std = stack.mean(axis=0, dtype=np.float64), stack.std(axis=0, dtype=np.float64)
    shape = list(example.shape)
    view, fixed, cut = _view_of(shape, index or [])
    pick = (lambda a: a[tuple(fixed)]) if fixed else (lambda a: a)
    row_part, mean_part, std_part = pick(example), pick(mean), pick(std)
    stride = 1
    if view == "line" and row_part.shape[0] > MAX_LINE:
        stride = math.ceil(row_part.shape[0] / MAX_LINE)
    elif view in ("heatmap", "image") and max(row_part.shape[:2]) > MAX_SIDE:
        stride = math.ceil(max(row_part.shape[:2]) / MAX_SIDE)
    if stride > 1:
        cut_ = (slice(None, None, stride),) * (1 if view == "line" else 2)
        row_part, mean_part, std_part = row_part[cut_], mean_part[cut_], std_part[cut_]
    result = TensorView(
        column=column.name, row=row, rows=total, shape=shape, view=view, index=fixed, stride=stride,
        values=_plain(row_part), mean=_plain(mean_part), std=_plain(std_part),
        min=float(example.min()) if example.size else None, max=float(example.max()) if example.size else None,
        stat_rows=len(stack),
    )
    if view == "image":
        result.image = data_url(_as_image(row_part))
        result.mean_image = data_url(_as_image(mean_part))
        result.std_image = data_url(_as_image(std_part.mean(axis=2, keepdims=True)))
        result.values = result.mean = result.std = None
    return result


def _view_of(shape: list[int], index: list[int]) -> tuple[str, list[int], int]:
    """The view for an example shape, and the leading indices fixed (checked against the shape)."""
    if not shape:
        return "scalar", [], 0
    if len(shape) == 1:
        return "line", [], 0
    if len(shape) == 2:
        return "heatmap", [], 0
    if len(shape) == 3 and shape[2] in (1, 3, 4) and not index:
        return "image", [], 0
    lead = len(shape) - 2
    fixed = list(index[:lead]) + [0] * (lead - len(index[:lead]))
    for axis, (value, size) in enumerate(zip(fixed, shape)):
        if not 0 <= value < size:
            raise InvalidInput(f"index {value} is outside dimension {axis} (size {size}).", field="index")
    return "heatmap", fixed, lead


def _plain(array: np.ndarray) -> Any:
    if array.ndim == 0:
        return round(float(array), 6)
    return np.round(array.astype(np.float64), 6).tolist()


def _as_image(array: np.ndarray) -> Image.Image:
    """An H×W×C array scaled to 0-255 by its own range."""
    lo, hi = float(array.min()), float(array.max())
    scaled: np.ndarray = np.zeros(array.shape, np.uint8) if hi <= lo else ((array - lo) / (hi - lo) * 255).round().astype(np.uint8)
    channels = int(scaled.shape[-1])
    if channels == 1:
        return Image.fromarray(scaled[..., 0], "L")
    return Image.fromarray(scaled, "RGB" if channels == 3 else "RGBA")
