"""Image folders: stored trees of images (jpg/png/gif) made from a zip upload.

    folder = project.image_folders.import_zip("pets.zip", name="pets").wait()
    folder.categories()            # {"cats": 120, "dogs": 98}
    folder.thumbnail("cats/1.jpg") # (bytes, "image/jpeg")
    folder.download("pets.zip")

Image folders cannot use datasources or connectors, and cannot be exported.
"""

from __future__ import annotations

import os
import posixpath
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import records, schema
from dataplane_jupyter.core.errors import InvalidInput, InvalidState, NotFound
from dataplane_jupyter.core.images.columns import FolderColumn
from dataplane_jupyter.core.images.models import (
    IMAGE_FOLDER_LABELS,
    DescribeImage,
    DescribeImageFolder,
    ImageFolderStatus,
)
from dataplane_jupyter.core.images.previews import image_preview

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project

IMAGES = "images"
THUMBNAILS = "thumbnails"
MANIFEST = "manifest.parquet"
EXPORT_REFUSAL = (
    "Image folders cannot be exported: exporters write datasets (tables). Download the folder "
    "as a zip instead (`folder.download(...)`, `dataplane image-folders download`)."
)
WHAT = "Image folder"


def image_folder_path(project_id: str, folder_id: str) -> str:
    """Where an image folder's files live, relative to the storage root."""
    return f"projects/{project_id}/image_folders/{folder_id}"


def inner_path(path: str) -> str:
    """A path inside a folder, normalised; InvalidInput if it would leave the folder."""
    clean = posixpath.normpath(str(path).replace("\\", "/").lstrip("/"))
    if clean in ("", ".") or clean == ".." or clean.startswith("../"):
        raise InvalidInput(f"Image path {path!r} is not inside the folder.", field="path")
    return clean


def _query() -> sa.Select:
    f, j = schema.image_folders, schema.jobs
    return sa.select(
        f, sa.func.coalesce(j.c.progress, 0.0).label("progress")
    ).select_from(f.outerjoin(j, f.c.job_id == j.c.id))


def _describe(row: sa.Row) -> DescribeImageFolder:
    values = dict(row._mapping)
    status = ImageFolderStatus(values["status"])
    values["status_label"] = IMAGE_FOLDER_LABELS[status]
    values["categories"] = dict((values.get("summary") or {}).get("categories") or {})
    if status is ImageFolderStatus.READY:
        values["progress"] = 1.0
    return DescribeImageFolder.model_validate(values)


class ImageFolders(records.Collection["ImageFolder"]):
    """The image folders of one project: `project.image_folders["pets"]`, `.import_zip(...)`."""

    def __init__(self, project: "Project") -> None:
        self.project = project
        self.catalog = project.catalog

    def import_zip(
        self,
        source: str | os.PathLike[str],
        name: str | None = None,
        *,
        delete_source: bool = False,
        file_name: str | None = None,
    ) -> "ImageFolder":
        """Start storing the images of a zip (local path or fsspec URL); returns at once.

        The folder is listed at once with status `copying`; `.wait()` blocks until it is
        `ready` (or raises ImportFailed with the reason). `file_name` is the name shown in
        messages (for staged uploads).
        """
        self.project.require("editor", "import an image folder")
        location = str(source)
        if "://" not in location:
            path = Path(location).expanduser()
            if not path.is_file():
                raise InvalidInput(f"File {location!r} does not exist.", field="source")
            location = str(path.absolute())
        file_name = file_name or Path(location.split("://")[-1]).name
        folder_id = records.insert(
            self.catalog.engine, schema.image_folders, self.project, name or Path(file_name).stem, WHAT,
            status=ImageFolderStatus.COPYING.value, summary={"file": file_name},
        )
        storage_path = image_folder_path(self.project.id, folder_id)
        job = self.catalog.jobs.start(
            "image_folder.import",
            "dataplane_jupyter.core.images.folder_import:run_image_folder_import",
            on_end="dataplane_jupyter.core.images.folder_import:on_image_folder_import_end",
            project_id=self.project.id,
            target=("image_folder", folder_id),
            params={
                "folder_id": folder_id, "project_id": self.project.id, "location": location,
                "file": file_name, "delete_source": delete_source,
            },
        )
        records.update(
            self.catalog.engine, schema.image_folders, self.project, folder_id, WHAT,
            job_id=job.id, storage_path=storage_path,
        )
        return self[folder_id]

    def list(self, search: str | None = None) -> list["ImageFolder"]:
        """Newest first; `search` keeps names containing it (case-insensitive)."""
        query = records.newest_first(_query(), schema.image_folders, self.project, search)
        with self.catalog.engine.connect() as connection:
            return [ImageFolder(self.project, _describe(row)) for row in connection.execute(query)]

    def __getitem__(self, key: str) -> "ImageFolder":
        row = records.find(self.catalog.engine, _query(), schema.image_folders, self.project, key, WHAT)
        return ImageFolder(self.project, _describe(row))


@records.fields_from_docstring
class ImageFolder(records.ImportedRecord[DescribeImageFolder]):
    """A handle on one image folder; attributes read the catalog afresh (`describe()` is the
    snapshot read last, without a query).

    Attributes:
        status: copying, ready or failed.
        n_images: Number of stored images.
        size_bytes: Stored bytes (images and thumbnails).
        summary: Formats, colour modes, sizes, corrupt and ignored files.
        warnings: Files left out, and why.
        error: Why the import failed, if it did.
    """

    _noun = "Image folder"

    def _load(self) -> DescribeImageFolder:
        return self.project.image_folders[self._info.id].describe()

    def __repr__(self) -> str:
        info = self._info
        count = f" {info.n_images} images" if info.n_images is not None else ""
        return f"<ImageFolder {info.name!r} {info.status.value}{count}>"

    @property
    def _folder(self) -> str:
        return image_folder_path(self._info.project_id, self._info.id)

    def _require_ready(self) -> None:
        info = self.info
        if info.status is not ImageFolderStatus.READY:
            raise InvalidState(f"Image folder {info.name!r} is {IMAGE_FOLDER_LABELS[info.status]!r}: its images are not available.")

    def categories(self) -> dict[str, int]:
        """Images per category (the folder path inside the zip; "" for its top level)."""
        return dict(self.info.categories)

    def images(self, category: str | None = None, *, offset: int = 0, limit: int | None = None) -> list[DescribeImage]:
        """The stored images (path, category, format, size, mode), in archive order."""
        self._require_ready()
        with self.catalog.storage.open_arrow(f"{self._folder}/{MANIFEST}") as stream:
            rows = pq.read_table(stream).to_pylist()
        if category is not None:
            rows = [r for r in rows if r["category"] == category]
        end = None if limit is None else offset + limit
        return [DescribeImage.model_validate(r) for r in rows[offset:end]]

    def _stored(self, kind: str, path: str) -> str:
        relative = f"{self._folder}/{kind}/{inner_path(path)}"
        if not self.catalog.storage.exists(relative):
            raise NotFound(f"Image folder {self._info.name!r} has no image {path!r}.")
        return relative

    def image(self, path: str) -> bytes:
        """The bytes of one stored image."""
        self._require_ready()
        with self.catalog.storage.open(self._stored(IMAGES, path)) as stream:
            return stream.read()

    def thumbnail(self, path: str) -> tuple[bytes, str]:
        """A small preview of one image (made at import): (bytes, "image/jpeg" or "image/png")."""
        self._require_ready()
        clean = inner_path(path)
        for suffix, media_type in ((".jpg", "image/jpeg"), (".png", "image/png")):
            relative = f"{self._folder}/{THUMBNAILS}/{clean}{suffix}"
            if self.catalog.storage.exists(relative):
                with self.catalog.storage.open(relative) as stream:
                    return stream.read(), media_type
        raise NotFound(f"Image folder {self._info.name!r} has no image {path!r}.")

    def write_zip(self, out: IO[bytes]) -> int:
        """Stream every stored image into a zip written to `out`; returns the image count."""
        self._require_ready()
        storage, count = self.catalog.storage, 0
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for image in self.images():
                with storage.open(f"{self._folder}/{IMAGES}/{image.path}") as source, archive.open(image.path, "w", force_zip64=True) as target:
                    while chunk := source.read(1 << 20):
                        target.write(chunk)
                count += 1
        return count

    def download(self, path: str | os.PathLike[str]) -> Path:
        """Write the images as a zip, in the folder structure they were uploaded with."""
        target = Path(path)
        with open(target, "wb") as out:
            self.write_zip(out)
        return target

    def rename(self, new_name: str) -> "ImageFolder":
        """Give the folder another name (unique in its project)."""
        records.update(self.catalog.engine, schema.image_folders, self.project, self.id, WHAT, name=new_name)
        self._info = self.info
        return self

    def delete(self) -> None:
        """Remove the folder and its stored images; a running import is cancelled first."""
        self.project.require("editor", "delete an image folder")
        job = self.job
        if job is not None and not job.status.finished:
            try:
                self.catalog.jobs.cancel(job.id)
            except InvalidState:
                pass
        records.delete(self.catalog.engine, schema.image_folders, self.id)
        self.catalog.storage.remove(self._folder)

    def feature_options(self) -> Any:
        """The Transformation / Color mode of the folder's images (latest version, else defaults)."""

        return FolderColumn(self).options()

    def set_feature_options(self, *, transformation: str | None = None, size: Any = None,
                            color_mode: str | None = None, fill: str | None = None) -> Any:
        """Store a new version of the folder's feature options; nothing else is recomputed."""
        self.project.require("editor", "change feature options")

        return FolderColumn(self).set_options(transformation=transformation, size=size, color_mode=color_mode, fill=fill)

    def preview_images(self, rows: int = 6, offset: int = 0, **options: Any) -> Any:
        """Original vs transformed thumbnails of a few images (options given here are tried, not saved)."""

        found = FolderColumn(self)
        return image_preview(found, rows=rows, offset=offset, options=found.trial(**options))

    def to_numpy(self, **options: Any) -> Any:
        """Every image as float32 N×H×W×C in [0, 1], in manifest order (see `Dataset.to_numpy`)."""

        return FolderColumn(self).to_numpy(**options)

    def iter_batches(self, batch_size: int = 256, **options: Any) -> Any:
        """The images as float32 arrays of `batch_size` examples, in manifest order."""

        return FolderColumn(self).iter_arrays(batch_size, **options)

    def export(self, *args: Any, **kwargs: Any) -> Any:
        """Always refused: image folders cannot be exported."""
        raise InvalidState(EXPORT_REFUSAL)
