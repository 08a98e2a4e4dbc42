"""Per-column feature options of image columns: Transformation and Color mode (spec 002).

Every image example is converted with these options so that a model gets data of one fixed
size. Options belong to one image column of a dataset (or to an image folder, whose images are
one column named `image`), are stored in the catalog table `feature_options` one row per
version, and never change anything else: statistics and data stay as they are.

Until someone sets them, the options are the *defaults* chosen from the column's statistics:
the most common size (transformation `none` when every image has that size, else `resize` to
it) and the most common colour mode; `describe` says so (`is_default`, `version` 0, `reasons`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import Field, ValidationError, field_validator

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.errors import InvalidInput, InvalidState, NotFound
from dataplane_jupyter.core.models import Record

from .transform import CHANNELS, check_fill

Transformation = Literal["resize", "crop", "pad", "none"]
ColorMode = Literal["grayscale", "rgb", "rgba"]
TRANSFORMATIONS = ("resize", "crop", "pad", "none")
COLOR_MODES = ("grayscale", "rgb", "rgba")
MAX_SIDE = 8192
FOLDER_COLUMN = "image"
#: Pillow modes → the colour mode that keeps what they hold.
MODE_OF = {"1": "grayscale", "L": "grayscale", "I": "grayscale", "F": "grayscale", "I;16": "grayscale",
           "RGBA": "rgba", "LA": "rgba", "PA": "rgba", "RGBa": "rgba", "La": "rgba"}


class FeatureOptions(Record):
    """How one image column becomes fixed-size data: W×H pixels, 1/3/4 channels."""

    transformation: Transformation = Field(description="resize (stretch), crop (centre, short side fitted), pad (letterbox), none")
    size: tuple[int, int] = Field(description="(width, height) in pixels")
    color_mode: ColorMode = Field(description="grayscale (1 channel), rgb (3) or rgba (4)")
    fill: str = Field("#000000", description="Pad colour (#rrggbb, #rrggbbaa or a colour name); used by pad")

    @field_validator("size")
    @classmethod
    def _size(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not all(1 <= side <= MAX_SIDE for side in value):
            raise ValueError(f"width and height must be 1 to {MAX_SIDE} pixels, not {value[0]}×{value[1]}")
        return value

    @field_validator("fill")
    @classmethod
    def _fill(cls, value: str) -> str:
        try:
            return check_fill(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a colour: use #rrggbb, #rrggbbaa or a colour name") from None

    @property
    def channels(self) -> int:
        """1, 3 or 4."""
        return CHANNELS[self.color_mode]

    @property
    def shape(self) -> tuple[int, int, int]:
        """The shape of one example: (height, width, channels)."""
        return (self.size[1], self.size[0], self.channels)


class DescribeFeatureOptions(FeatureOptions):
    """The options in force for one column, where they come from, and what was found in it."""

    column: str
    shape_hwc: list[int] = Field(description="Shape of one example: [height, width, channels]")
    version: int = Field(description="0 while the defaults apply; 1, 2, ... for each change")
    is_default: bool = Field(description="True while nobody has set the options: they are the defaults")
    set_at: datetime | None = None
    set_by: str | None = None
    defaults: FeatureOptions = Field(description="The options chosen from the column's statistics")
    reasons: dict[str, str] = Field(default_factory=dict, description="Why each default was chosen")
    sizes: dict[str, int] = Field(default_factory=dict, description="Image sizes found (W×H → images inspected)")
    modes: dict[str, int] = Field(default_factory=dict, description="Pillow colour modes found")


def parse_size(value: Any) -> tuple[int, int]:
    """(width, height) from (w, h), [w, h], "WxH", "W×H" or one number (a square)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value)
    if isinstance(value, str):
        found = re.fullmatch(r"\s*(\d+)\s*(?:[x×X*,]\s*(\d+))?\s*", value)
        if not found:
            raise InvalidInput(f"size {value!r} is not WIDTHxHEIGHT (e.g. 224x224).", field="size")
        width = int(found.group(1))
        return (width, int(found.group(2) or width))
    try:
        width, height = (int(v) for v in value)
    except (TypeError, ValueError):
        raise InvalidInput(f"size {value!r} is not (width, height).", field="size") from None
    return (width, height)


def make_options(current: FeatureOptions, *, transformation: str | None = None, size: Any = None,
                 color_mode: str | None = None, fill: str | None = None) -> FeatureOptions:
    """`current` with the given fields replaced, checked (InvalidInput names the field)."""
    values = current.model_dump()
    if transformation is not None:
        if transformation not in TRANSFORMATIONS:
            raise InvalidInput(f"transformation {transformation!r} is not one of {', '.join(TRANSFORMATIONS)}.",
                               field="transformation")
        values["transformation"] = transformation
    if color_mode is not None:
        color_mode = {"gray": "grayscale", "grey": "grayscale", "greyscale": "grayscale", "l": "grayscale"}.get(
            color_mode.lower(), color_mode.lower())
        if color_mode not in COLOR_MODES:
            raise InvalidInput(f"color_mode {color_mode!r} is not one of {', '.join(COLOR_MODES)}.", field="color_mode")
        values["color_mode"] = color_mode
    if size is not None:
        values["size"] = parse_size(size)
    if fill is not None:
        values["fill"] = fill
    try:
        return FeatureOptions.model_validate(values)
    except (ValidationError, ValueError) as error:  # name the field
        first = error.errors()[0] if isinstance(error, ValidationError) else {"loc": (), "msg": str(error)}
        field = ".".join(str(p) for p in first["loc"][:1]) or None
        raise InvalidInput(f"{field or 'options'}: {first['msg']}", field=field) from None


# -- defaults from what the column holds -------------------------------------------------------

@dataclass(frozen=True)
class Found:
    """Sizes ("W×H" → count) and Pillow modes (→ count) seen in a column, and how many images."""

    sizes: dict[str, int]
    modes: dict[str, int]
    distinct_sizes: int

    @classmethod
    def of(cls, sizes: Counter[str] | dict[str, int], modes: Counter[str] | dict[str, int],
           distinct_sizes: int | None = None) -> "Found":
        sizes, modes = Counter(sizes), Counter(modes)
        return cls(dict(sizes.most_common(10)), dict(modes.most_common()),
                   distinct_sizes if distinct_sizes is not None else len(sizes))


def choose_defaults(found: Found) -> tuple[FeatureOptions, dict[str, str]]:
    """The most common size and mode; `none` when every image inspected has one size."""
    reasons: dict[str, str] = {}
    if found.sizes:
        label, count = next(iter(found.sizes.items()))
        width, height = parse_size(label)
        total = sum(found.sizes.values())
        if found.distinct_sizes == 1:
            transformation = "none"
            reasons["transformation"] = f"every image inspected is {label} ({total:,} images): kept as is"
            reasons["size"] = f"the only size found ({label})"
        else:
            transformation = "resize"
            reasons["transformation"] = f"{found.distinct_sizes} sizes found: stretched to the most common one"
            reasons["size"] = f"the most common size: {label} ({count:,} of {total:,} images inspected)"
    else:
        transformation, width, height = "resize", 224, 224
        reasons["transformation"] = "no image could be inspected: stretched to 224×224"
        reasons["size"] = "no image could be inspected: 224×224"
    modes: Counter[str] = Counter()
    for mode, count in found.modes.items():
        modes[MODE_OF.get(mode, "rgb")] += count
    if modes:
        color_mode, count = modes.most_common(1)[0]
        shown = ", ".join(f"{m} {n:,}" for m, n in found.modes.items())
        reasons["color_mode"] = f"the most common colour mode ({shown})"
    else:
        color_mode = "rgb"
        reasons["color_mode"] = "no image could be inspected: rgb"
    return FeatureOptions(transformation=transformation, size=(width, height), color_mode=color_mode), reasons


def found_in_statistics(media: dict[str, Any] | None) -> Found | None:
    """Sizes and modes from an image column's `media` statistics (None when they lack sizes)."""
    if not media or "sizes" not in media:
        return None
    return Found.of(media.get("sizes") or {}, media.get("modes") or {}, media.get("distinct_sizes"))


# -- the stored versions -----------------------------------------------------------------------

@dataclass(frozen=True)
class Owner:
    """Whose column: a dataset's or an image folder's."""

    project_id: str
    label: str  # "dataset 'x'" or "image folder 'x'", for messages
    dataset_id: str | None = None
    image_folder_id: str | None = None

    def where(self, column: str) -> sa.ColumnElement[bool]:
        t = schema.feature_options
        return sa.and_(
            t.c.dataset_id == self.dataset_id if self.dataset_id else t.c.dataset_id.is_(None),
            t.c.image_folder_id == self.image_folder_id if self.image_folder_id else t.c.image_folder_id.is_(None),
            t.c.column_name == column,
        )


def stored_versions(engine: sa.Engine, owner: Owner, column: str) -> list[sa.Row]:
    """Every stored version of a column's options, oldest first."""
    t = schema.feature_options
    with engine.connect() as connection:
        return list(connection.execute(sa.select(t).where(owner.where(column)).order_by(t.c.version)))


def store_version(engine: sa.Engine, owner: Owner, column: str, options: FeatureOptions, who: str) -> int:
    """Add a new version (the highest + 1); returns its number. Two writers at once: one retries."""
    t = schema.feature_options
    for _attempt in range(5):
        try:
            with engine.begin() as connection:
                latest = connection.execute(sa.select(sa.func.max(t.c.version)).where(owner.where(column))).scalar()
                version = int(latest or 0) + 1
                connection.execute(t.insert().values(
                    id=schema.new_id(), project_id=owner.project_id, dataset_id=owner.dataset_id,
                    image_folder_id=owner.image_folder_id, column_name=column, version=version,
                    options=options.model_dump(mode="json"), created_by=who,
                ))
            return version
        except sa.exc.IntegrityError:
            continue
    raise InvalidState(f"The options of {owner.label}, column {column!r}, are being changed by someone else: try again.")


def describe(column: str, row: sa.Row | None, defaults: FeatureOptions, reasons: dict[str, str],
             found: Found | None) -> DescribeFeatureOptions:
    """The record shown to users: the stored version (or the defaults) plus where they come from."""
    current = FeatureOptions.model_validate(row.options) if row is not None else defaults
    return DescribeFeatureOptions(
        **current.model_dump(), column=column, shape_hwc=list(current.shape),
        version=row.version if row is not None else 0, is_default=row is None,
        set_at=row.created_at if row is not None else None, set_by=(row.created_by or None) if row is not None else None,
        defaults=defaults, reasons=reasons,
        sizes=found.sizes if found else {}, modes=found.modes if found else {},
    )


def refuse_none(options: FeatureOptions, found: Found | None, label: str) -> None:
    """`none` only when every image has one size (the sizes found are named otherwise)."""
    if options.transformation != "none" or found is None:
        return
    if found.distinct_sizes > 1:
        shown = ", ".join(f"{s} ({n:,})" for s, n in found.sizes.items())
        raise InvalidInput(
            f"transformation 'none' needs every image of {label} to have one size; {found.distinct_sizes} sizes "
            f"were found ({shown}): choose resize, crop or pad.", field="transformation")
    if found.sizes:
        only = parse_size(next(iter(found.sizes)))
        if tuple(options.size) != only:
            raise InvalidInput(
                f"transformation 'none' keeps the images as they are ({only[0]}×{only[1]}), so size must be "
                f"{only[0]}x{only[1]}, not {options.size[0]}x{options.size[1]}.", field="size")


def require_image_column(types: dict[str, str], column: str, label: str) -> None:
    """NotFound for an unknown column, InvalidInput for one that is not `image`."""
    if column not in types:
        raise NotFound(f"{label} has no column {column!r}.")
    if types[column] != "image":
        raise InvalidInput(f"Column {column!r} of {label} holds {types[column] or 'untyped'} values: "
                           "feature options (transformation, color mode) apply to image columns.", field="column")
