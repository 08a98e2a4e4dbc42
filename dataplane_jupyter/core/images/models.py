"""Public records of image folders (the REST API and the OpenAPI document use them as they are)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import Field

from dataplane_jupyter.core.models import STATUS_LABELS, DatasetStatus, Name, ProjectRecord, Record


class ImageFolderStatus(str, Enum):
    """Copy, then ready to be used; or failed with the reason."""

    COPYING = "copying"
    READY = "ready"
    FAILED = "failed"


#: The same words as a dataset's steps of the same name.
IMAGE_FOLDER_LABELS = {status: STATUS_LABELS[DatasetStatus(status.value)] for status in ImageFolderStatus}


class DescribeImageFolder(ProjectRecord):
    """One image folder as the list and the detail page show it."""

    status: ImageFolderStatus
    status_label: str = Field(description="The platform wording of the status")
    error: str | None = None
    progress: float = Field(0.0, description="0–1 progress of the copy")
    n_images: int | None = Field(None, description="Images stored (corrupt and non-image files left out)")
    size_bytes: int | None = None
    categories: dict[str, int] = Field(
        default_factory=dict, description="Images per folder path (\"\" for the archive's top level)"
    )
    summary: dict[str, Any] = Field(
        default_factory=dict, description="Source file, formats, colour modes, sizes, corrupt and ignored files"
    )
    warnings: list[dict[str, Any]] = Field(default_factory=list)
    job_id: str | None = None
    created_by: str = Field("", description="Who made it (the user who created it)")
    created_at: datetime
    updated_at: datetime


class ListImageFoldersResponse(Record):
    """Body of `GET /projects/{project}/image-folders`."""

    image_folders: list[DescribeImageFolder]


class UpdateImageFolder(Record):
    """Body of `PATCH /projects/{project}/image-folders/{folder}`."""

    name: Name = Field(description="New unique name")


class ImageFolderCategory(Record):
    """One category (a folder path) and how many images it holds."""

    name: str
    count: int


class ListImageFolderCategoriesResponse(Record):
    """Body of `GET /projects/{project}/image-folders/{folder}/categories`."""

    categories: list[ImageFolderCategory]


class DescribeImage(Record):
    """One stored image of a folder."""

    path: str = Field(description="Path inside the folder, as in the uploaded zip")
    category: str
    format: str
    width: int
    height: int
    mode: str = Field(description="Colour mode: L, RGB, RGBA, P, ...")
    size_bytes: int
    thumbnail: str = Field(description="Media type of the thumbnail: image/jpeg or image/png")


class ListImagesResponse(Record):
    """Body of `GET /projects/{project}/image-folders/{folder}/images`."""

    images: list[DescribeImage]
    total: int
