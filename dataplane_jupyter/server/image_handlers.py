"""REST handlers for image folders: list, upload a zip (streamed), describe, rename, delete,
categories, images, thumbnails and original bytes, download as zip."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from ..core.images.models import (
    DescribeImageFolder,
    ImageFolderCategory,
    ListImageFolderCategoriesResponse,
    ListImageFoldersResponse,
    ListImagesResponse,
    UpdateImageFolder,
)
from ..core.models import ImagePathQuery, ListImagesQuery, SearchQuery, UploadQuery
from . import crud
from .base import DataplaneHandler, operation
from .handlers import UploadHandler, default_name, upload_operation


class ImageFoldersHandler(DataplaneHandler):
    @operation("List image folders", response=ListImageFoldersResponse, query=SearchQuery)
    async def get(self, project: str) -> None:
        search = self.query(SearchQuery).search
        folders = await self.call(lambda: [f.describe() for f in self.project(project).image_folders.list(search=search)])
        self.reply(ListImageFoldersResponse(image_folders=folders))


class ImageFolderUploadHandler(UploadHandler):
    """The zip is the raw body, staged to disk by `UploadHandler`; the import job takes it."""

    @upload_operation("Create an image folder from a zip sent as the raw request body", DescribeImageFolder,
                      UploadQuery)
    async def post(self, project: str) -> None:
        staged = self.received()
        q = self.query(UploadQuery)
        filename = Path(q.filename.strip()).name
        if not filename:
            raise InvalidInput(f"filename {q.filename!r} names no file.", field="filename")
        folder = await self.call(
            self.project(project).image_folders.import_zip,
            staged,
            q.name or default_name(filename),
            delete_source=True,
            file_name=filename,
        )
        self.reply(folder.describe(), status=202)


class ImageFolderHandler(crud.CollectionHandler, collection="image_folders"):
    get = crud.read_record("Describe an image folder (by id or name)", DescribeImageFolder)
    patch = crud.edit_record("Rename an image folder", UpdateImageFolder, DescribeImageFolder,
                             lambda folder, r: folder.rename(r.name))
    delete = crud.delete_record("Delete an image folder and its stored images")


class ImageFolderCategoriesHandler(DataplaneHandler):
    @operation("Images per category (folder path)", response=ListImageFolderCategoriesResponse)
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(self.image_folder, project, folder)
        counts = await self.call(found.categories)
        self.reply(ListImageFolderCategoriesResponse(
            categories=[ImageFolderCategory(name=name, count=count) for name, count in counts.items()]
        ))


def _images_page(folder: Any, q: ListImagesQuery) -> ListImagesResponse:
    everything = folder.images(q.category)
    return ListImagesResponse(images=everything[q.offset:q.offset + q.limit], total=len(everything))


class ImageFolderImagesHandler(crud.CollectionHandler, collection="image_folders"):
    get = crud.read_record("The stored images, one page at a time", ListImagesResponse, _images_page, query=ListImagesQuery)


class _ImageBytesHandler(DataplaneHandler):
    async def _send(self, data: bytes, media_type: str) -> None:
        self.set_header("Cache-Control", "private, max-age=3600")
        self.finish(data, set_content_type=media_type)  # APIHandler.finish would say JSON

    def _path(self) -> str:
        return self.query(ImagePathQuery).path


class ImageThumbnailHandler(_ImageBytesHandler):
    @operation("A small preview of one image (image/jpeg or image/png)", query=ImagePathQuery, content=("image/jpeg", "image/png"))
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(self.image_folder, project, folder)
        await self._send(*await self.call(found.thumbnail, self.required_argument("path")))


MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


class ImageHandler(_ImageBytesHandler):
    @operation("One stored image, as uploaded", query=ImagePathQuery,
               content=("image/jpeg", "image/png", "image/gif", "application/octet-stream"))
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(self.image_folder, project, folder)
        path = self.required_argument("path")
        data = await self.call(found.image, path)
        suffix = Path(path).suffix.lower().lstrip(".")
        await self._send(data, MEDIA_TYPES.get("JPEG" if suffix == "jpg" else suffix.upper(), "application/octet-stream"))


class ImageFolderDownloadHandler(DataplaneHandler):
    @operation("Download the images as a zip, in their folder structure", content="application/zip")
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(self.image_folder, project, folder)
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / f"{found.id}.zip"  # by id: a name may be too long for a file
            await self.call(found.download, path)
            await self.send_file(path, "application/zip", f"{found.describe().name}.zip")
