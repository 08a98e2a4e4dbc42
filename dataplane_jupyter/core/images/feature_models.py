"""Bodies of the feature-options and multi-file REST routes (the OpenAPI document uses them)."""

from __future__ import annotations

from pydantic import Field

from dataplane_jupyter.core.images.features import ColorMode, DescribeFeatureOptions, Transformation
from dataplane_jupyter.core.models import Record


class SetFeatureOptions(Record):
    """Body of `PUT .../feature-options`: the fields to change (the others keep their value)."""

    transformation: Transformation | None = None
    size: tuple[int, int] | None = Field(None, description="[width, height] in pixels")
    color_mode: ColorMode | None = None
    fill: str | None = Field(None, description="Pad colour (#rrggbb, #rrggbbaa or a colour name)")


class ListFeatureOptionsResponse(Record):
    """Body of `GET .../feature-options/history`: every version set, oldest first."""

    versions: list[DescribeFeatureOptions]
