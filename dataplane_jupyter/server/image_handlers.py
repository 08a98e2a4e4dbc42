"""REST handlers for image folders: list, upload a zip (streamed), describe, rename, delete,
categories, images, thumbnails and original bytes, download as zip."""

from __future__ import annotations

import tempfile
from pathlib import Path

import tornado.web

from ..core.errors import InvalidInput
from ..core.images.folders import ImageFolder
from ..core.images.models import (
    DescribeImageFolder,
    ImageFolderCategory,
    ListImageFolderCategoriesResponse,
    ListImageFoldersResponse,
    ListImagesResponse,
    UpdateImageFolder,
)
from .base import DataplaneHandler, operation
from .handlers import UploadHandler


def find_folder(handler: DataplaneHandler, project: str, folder: str) -> ImageFolder:
    """An image folder by id, or else by name."""
    return handler.project(project).image_folders[folder]


class ImageFoldersHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("List image folders", response=ListImageFoldersResponse, query={"search": "Case-insensitive part of the name"})
    async def get(self, project: str) -> None:
        search = self.get_argument("search", None)
        folders = await self.call(lambda: [f.describe() for f in self.project(project).image_folders.list(search=search)])
        self.reply(ListImageFoldersResponse(image_folders=folders))


class ImageFolderUploadHandler(UploadHandler):
    """The zip is the raw body, staged to disk by `UploadHandler`; the import job takes it."""

    @tornado.web.authenticated
    @operation(
        "Create an image folder from a zip sent as the raw request body",
        response=DescribeImageFolder,
        status=202,
        query={"filename": "Name of the uploaded zip; without it the upload is refused with 422",
               "name": "Folder name (default: the file name without suffix)"},
        required=("filename",),
        content="application/octet-stream",
    )
    async def post(self, project: str) -> None:
        self._stream.close()
        filename = Path(self.get_argument("filename", "").strip()).name
        if not filename:
            raise InvalidInput("The query parameter filename is required.", field="filename")
        folder = await self.call(
            self.project(project).image_folders.import_zip,
            self._staging,
            self.get_argument("name", None) or Path(filename).stem,
            delete_source=True,
            file_name=filename,
        )
        self.reply(folder.describe(), status=202)


class ImageFolderHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Describe an image folder (by id or name)", response=DescribeImageFolder)
    async def get(self, project: str, folder: str) -> None:
        self.reply((await self.call(find_folder, self, project, folder)).describe())

    @tornado.web.authenticated
    @operation("Rename an image folder", body=UpdateImageFolder, response=DescribeImageFolder)
    async def patch(self, project: str, folder: str) -> None:
        request = self.body(UpdateImageFolder)
        found = await self.call(find_folder, self, project, folder)
        self.reply((await self.call(found.rename, request.name)).describe())

    @tornado.web.authenticated
    @operation("Delete an image folder and its stored images", status=204)
    async def delete(self, project: str, folder: str) -> None:
        found = await self.call(find_folder, self, project, folder)
        await self.call(found.delete)
        self.set_status(204)
        self.finish()


class ImageFolderCategoriesHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Images per category (folder path)", response=ListImageFolderCategoriesResponse)
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(find_folder, self, project, folder)
        counts = await self.call(found.categories)
        self.reply(ListImageFolderCategoriesResponse(
            categories=[ImageFolderCategory(name=name, count=count) for name, count in counts.items()]
        ))


class ImageFolderImagesHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation(
        "The stored images, one page at a time",
        response=ListImagesResponse,
        query={"category": "Keep one category", "offset": "First image (default 0)", "limit": "Images per page (default 100, at most 1000)"},
    )
    async def get(self, project: str, folder: str) -> None:
        offset, limit = self._whole("offset", "0", 10**9), self._whole("limit", "100", 1000)
        found = await self.call(find_folder, self, project, folder)
        everything = await self.call(found.images, self.get_argument("category", None))
        self.reply(ListImagesResponse(images=everything[offset:offset + limit], total=len(everything)))

    def _whole(self, name: str, default: str, most: int) -> int:
        value = self.get_argument(name, default)
        if not value.isdigit() or int(value) > most:
            raise InvalidInput(f"{name} must be a whole number from 0 to {most}, not {value!r}.", field=name)
        return int(value)


class _ImageBytesHandler(DataplaneHandler):
    async def _send(self, data: bytes, media_type: str) -> None:
        self.set_header("Cache-Control", "private, max-age=3600")
        self.finish(data, set_content_type=media_type)  # APIHandler.finish would say JSON

    def _path(self) -> str:
        path = self.get_argument("path", "")
        if not path:
            raise InvalidInput("The query parameter path is required.", field="path")
        return path


class ImageThumbnailHandler(_ImageBytesHandler):
    @tornado.web.authenticated
    @operation("A small preview of one image (image/jpeg or image/png)", query={"path": "Image path inside the folder"}, content="image/jpeg")
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(find_folder, self, project, folder)
        await self._send(*await self.call(found.thumbnail, self._path()))


MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


class ImageHandler(_ImageBytesHandler):
    @tornado.web.authenticated
    @operation("One stored image, as uploaded", query={"path": "Image path inside the folder"}, content="application/octet-stream")
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(find_folder, self, project, folder)
        path = self._path()
        data = await self.call(found.image, path)
        suffix = Path(path).suffix.lower().lstrip(".")
        await self._send(data, MEDIA_TYPES.get("JPEG" if suffix == "jpg" else suffix.upper(), "application/octet-stream"))


class ImageFolderDownloadHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Download the images as a zip, in their folder structure", content="application/zip")
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(find_folder, self, project, folder)
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / (found.describe().name.replace('"', "_") + ".zip")
            await self.call(found.download, path)
            self.set_header("Content-Type", "application/zip")
            self.set_header("Content-Disposition", f'attachment; filename="{path.name}"')
            with open(path, "rb") as stream:
                while chunk := await self.call(stream.read, 1 << 20):
                    self.write(chunk)
                    await self.flush()
        self.finish(set_content_type="application/zip")
