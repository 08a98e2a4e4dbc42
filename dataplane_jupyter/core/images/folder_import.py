"""The job that turns an uploaded zip into an image folder: checked entries, streamed copy,
a thumbnail per image, a manifest, and a summary (categories, formats, corrupt files).

A failure or cancellation marks the folder `failed` with the reason and removes every file
written so far (`on_image_folder_import_end`).
"""

from __future__ import annotations

import posixpath
from collections import Counter
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO, Iterator

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from dataplane_jupyter.core.archives import IMAGE_SUFFIXES, SafeZip, free_bytes, suffix
from dataplane_jupyter.core.catalog import records, schema
from dataplane_jupyter.core.catalog.storage import remove_staged_source
from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.images.folders import IMAGES, MANIFEST, THUMBNAILS, image_folder_path
from dataplane_jupyter.core.images.imaging import BadImage, inspect_with_thumbnail
from dataplane_jupyter.core.images.models import ImageFolderStatus
from dataplane_jupyter.core.jobs.runner import JobContext
from dataplane_jupyter.core.jobs.store import Job

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog

LISTED = 20  # file names quoted in a warning before "and N more"


def _set(catalog: "Catalog", folder_id: str, **values: Any) -> None:
    records.set_fields(catalog.engine, schema.image_folders, folder_id, **values)


@contextmanager
def open_archive(location: str) -> Iterator[BinaryIO]:
    """The uploaded file as a seekable binary stream (local path or fsspec URL)."""
    with fsspec.open(location, "rb") as stream:
        yield stream


def common_folder(names: list[str]) -> str:
    """The folder every name sits under ("" when they do not share one)."""
    folders = [posixpath.dirname(n).split("/") if posixpath.dirname(n) else [] for n in names]
    shared: list[str] = []
    for parts in zip(*folders):
        if len(set(parts)) != 1:
            break
        shared.append(parts[0])
    return "/".join(shared)


def category_of(name: str, root: str) -> str:
    """The image's folder path below `root` ("" at the top)."""
    folder = posixpath.dirname(name)
    return folder[len(root):].lstrip("/") if root and folder.startswith(root) else folder


def listed(names: list[str]) -> str:
    """`a, b, c` or `a, b, ... and 12 more`."""
    shown = ", ".join(names[:LISTED])
    return shown + (f" and {len(names) - LISTED:,} more" if len(names) > LISTED else "")


def run_image_folder_import(ctx: JobContext) -> dict[str, Any]:
    """Job: store the zip's images with a thumbnail each, then mark the folder ready."""
    catalog, params = ctx.catalog, ctx.params
    file, folder = params["file"], image_folder_path(params["project_id"], params["folder_id"])
    ctx.progress(0.0, f"Reading {file}", force=True)
    with open_archive(params["location"]) as stream, SafeZip(stream, file, room=free_bytes(catalog.storage)) as archive:
        names = archive.names()
        images = [n for n in names if suffix(n) in IMAGE_SUFFIXES]
        others = [n for n in names if suffix(n) not in IMAGE_SUFFIXES]
        if not images:
            found = f" (it holds {len(others):,} other files: {listed(others)})" if others else " (it is empty)"
            raise InvalidInput(f"{file} holds no jpg, png or gif image{found}.")
        rows, corrupt = _store_images(ctx, archive, images, folder)
    if not rows:
        raise InvalidInput(f"{file}: none of its {len(images):,} image files could be read ({corrupt[0]['reason']}, ...).")
    with catalog.storage.open(f"{folder}/{MANIFEST}", "wb") as out:
        pq.write_table(pa.Table.from_pylist(rows), out)
    summary = _summary(file, rows, corrupt, others)
    _set(
        catalog, params["folder_id"], status=ImageFolderStatus.READY.value, n_images=len(rows),
        size_bytes=catalog.storage.size(folder), summary=summary, warnings=_warnings(file, corrupt, others), error=None,
    )
    remove_staged_source(params)
    return {"images": len(rows), "corrupt": len(corrupt), "ignored": len(others)}


def _store_images(ctx: JobContext, archive: SafeZip, images: list[str], folder: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    storage, root = ctx.catalog.storage, common_folder(images)
    rows: list[dict[str, Any]] = []
    corrupt: list[dict[str, str]] = []
    for index, name in enumerate(images):
        stored = f"{folder}/{IMAGES}/{name}"
        with storage.open(stored, "wb") as out:
            size = archive.copy(name, out)
        try:
            with storage.open(stored) as stream:
                facts, thumbnail, media_type = inspect_with_thumbnail(stream)
        except BadImage as error:
            storage.remove(stored)
            corrupt.append({"path": name, "reason": str(error)})
            continue
        with storage.open(f"{folder}/{THUMBNAILS}/{name}{'.png' if media_type == 'image/png' else '.jpg'}", "wb") as out:
            out.write(thumbnail)
        rows.append({
            "path": name, "category": category_of(name, root), "format": facts.format, "width": facts.width,
            "height": facts.height, "mode": facts.mode, "size_bytes": size, "thumbnail": media_type,
        })
        ctx.progress(0.98 * (index + 1) / len(images), f"Stored {index + 1:,} of {len(images):,} images")
    return rows, corrupt


def _summary(file: str, rows: list[dict[str, Any]], corrupt: list[dict[str, str]], others: list[str]) -> dict[str, Any]:
    def spread(key: str) -> dict[str, float]:
        values = [r[key] for r in rows]
        return {"min": min(values), "max": max(values), "mean": round(sum(values) / len(values), 2)}

    return {
        "file": file,
        "categories": dict(sorted(Counter(r["category"] for r in rows).items())),
        "formats": dict(Counter(r["format"] for r in rows).most_common()),
        "modes": dict(Counter(r["mode"] for r in rows).most_common()),
        "width": spread("width"),
        "height": spread("height"),
        "corrupt": {"count": len(corrupt), "files": corrupt[:LISTED]},
        "ignored": {"count": len(others), "files": others[:LISTED]},
    }


def _warnings(file: str, corrupt: list[dict[str, str]], others: list[str]) -> list[dict[str, Any]]:
    notes = []
    if corrupt:
        detail = "; ".join(f"{c['path']}: {c['reason']}" for c in corrupt[:LISTED])
        more = f" and {len(corrupt) - LISTED:,} more" if len(corrupt) > LISTED else ""
        notes.append({"kind": "corrupt", "count": len(corrupt),
                      "message": f"{file}: {len(corrupt):,} corrupt or unreadable image files left out ({detail}{more})."})
    if others:
        notes.append({"kind": "ignored", "count": len(others),
                      "message": f"{file}: {len(others):,} files that are not jpg, png or gif images left out ({listed(others)})."})
    return notes


def on_image_folder_import_end(catalog: "Catalog", job: Job) -> None:
    """A failed or cancelled import: folder `failed` with the reason, its files removed."""
    params = job.params
    catalog.storage.remove(image_folder_path(params["project_id"], params["folder_id"]))  # before `failed` shows
    remove_staged_source(params)
    _set(catalog, params["folder_id"], status=ImageFolderStatus.FAILED.value, error=job.error)
