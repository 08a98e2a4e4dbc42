"""REST handlers for image and tensor features: feature options (get, set, history), original vs
transformed thumbnails, tensor views, and several .npy files uploaded as one dataset."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from ..core.images.feature_models import ListFeatureOptionsResponse, SetFeatureOptions
from ..core.images.features import DescribeFeatureOptions
from ..core.images.previews import ImagePreview, TensorView
from ..core.models import DescribeDataset, FeaturePreviewQuery, TensorViewQuery, UploadFilesQuery
from .base import DataplaneHandler, operation
from .handlers import UploadHandler, upload_operation

TRIAL_QUERY = FeaturePreviewQuery


def _dataset_column(handler: DataplaneHandler, project: str, dataset: str, column: str) -> Any:
    from ..core.images.columns import DatasetColumn

    ds = handler.dataset(project, dataset)
    ds.require_data()
    return DatasetColumn(ds, column)


def _folder_column(handler: DataplaneHandler, project: str, folder: str) -> Any:
    from ..core.images.columns import FolderColumn

    return FolderColumn(handler.image_folder(project, folder))


class _OptionsBase(DataplaneHandler):
    def _changes(self) -> dict[str, Any]:
        request = self.body(SetFeatureOptions)
        return request.model_dump(exclude_none=True)

    def _trial(self) -> dict[str, Any]:
        return {k: v for k in ("transformation", "size", "color_mode", "fill") if (v := self.get_argument(k, None))}

    async def _preview(self, found: Any) -> None:
        from ..core.images.previews import image_preview

        rows, offset = self.int_argument("rows", 6, least=0, most=24), self.int_argument("offset", 0, least=0, most=10**12)

        def run() -> Any:
            return image_preview(found, rows=rows, offset=offset, options=found.trial(**self._trial()))

        self.reply(await self.call(run))


class DatasetFeatureOptionsHandler(_OptionsBase):
    @operation("Feature options of an image column: the latest version, else the defaults", response=DescribeFeatureOptions)
    async def get(self, project: str, dataset: str, column: str) -> None:
        found = await self.call(_dataset_column, self, project, dataset, column)
        self.reply(await self.call(found.options))

    @operation("Set feature options of an image column (a new version; nothing else is recomputed)",
               body=SetFeatureOptions, response=DescribeFeatureOptions)
    async def put(self, project: str, dataset: str, column: str) -> None:
        changes = self._changes()
        found = await self.call(_dataset_column, self, project, dataset, column)
        self.reply(await self.call(found.set_options, **changes))


class DatasetFeatureOptionsHistoryHandler(_OptionsBase):
    @operation("Every version of an image column's feature options, oldest first", response=ListFeatureOptionsResponse)
    async def get(self, project: str, dataset: str, column: str) -> None:
        found = await self.call(_dataset_column, self, project, dataset, column)
        self.reply(ListFeatureOptionsResponse(versions=await self.call(found.history)))


class DatasetImagePreviewHandler(_OptionsBase):
    @operation("Original vs transformed thumbnails of a few rows (options in the query are tried, not saved)",
               response=ImagePreview, query=TRIAL_QUERY)
    async def get(self, project: str, dataset: str, column: str) -> None:
        await self._preview(await self.call(_dataset_column, self, project, dataset, column))


class DatasetTensorViewHandler(_OptionsBase):
    @operation("One row of a tensor column drawn by its dimensions, with per-position mean and spread",
               response=TensorView, query=TensorViewQuery)
    async def get(self, project: str, dataset: str, column: str) -> None:
        from ..core.images.previews import tensor_view

        row = self.int_argument("row", 0, least=0, most=10**12)
        raw = self.get_argument("index", "").strip()
        parts = [p.strip() for p in raw.split(",")] if raw else []
        if not all(p.isdigit() for p in parts):
            raise InvalidInput(f"index must be whole numbers separated by commas, not {raw!r}.", field="index")
        found = await self.call(_dataset_column, self, project, dataset, column)
        self.reply(await self.call(tensor_view, found, row=row, index=[int(p) for p in parts]))


class FolderFeatureOptionsHandler(_OptionsBase):
    @operation("Feature options of an image folder's images: the latest version, else the defaults", response=DescribeFeatureOptions)
    async def get(self, project: str, folder: str) -> None:
        found = await self.call(_folder_column, self, project, folder)
        self.reply(await self.call(found.options))

    @operation("Set feature options of an image folder (a new version)", body=SetFeatureOptions, response=DescribeFeatureOptions)
    async def put(self, project: str, folder: str) -> None:
        changes = self._changes()
        found = await self.call(_folder_column, self, project, folder)
        self.reply(await self.call(found.set_options, **changes))


class FolderImagePreviewHandler(_OptionsBase):
    @operation("Original vs transformed thumbnails of a few images of a folder", response=ImagePreview, query=TRIAL_QUERY)
    async def get(self, project: str, folder: str) -> None:
        await self._preview(await self.call(_folder_column, self, project, folder))


class UploadFilesHandler(UploadHandler):
    """Several .npy files in one request: their bytes one after the other as the raw body, with
    each file's name and size in the query (`filename` and `size`, repeated, in body order)."""

    @upload_operation(
        "Import several .npy files as one dataset (a tensor column per file), sent one after the other as the raw body",
        DescribeDataset, UploadFilesQuery)
    async def post(self, project: str) -> None:
        staged = self.received()
        names = [Path(n.strip()).name for n in self.get_arguments("filename")]
        sizes = self.get_arguments("size")
        if not names or not all(names):
            raise InvalidInput("The query parameter filename is required, once per file.", field="filename")
        if len(sizes) != len(names) or not all(s.isdigit() for s in sizes):
            raise InvalidInput(f"Give one size (bytes, a whole number) per file: {len(names)} files, {len(sizes)} sizes.", field="size")
        received = staged.stat().st_size
        if sum(int(s) for s in sizes) != received:
            raise InvalidInput(f"The sizes add up to {sum(int(s) for s in sizes):,} bytes but the body holds {received:,}.", field="size")
        parts = await self.call(self._split, [int(s) for s in sizes], names)
        try:
            ds = await self.call(self.project(project).datasets.import_files, parts,
                                 self.get_argument("name", None) or Path(names[0]).stem,
                                 delete_source=True, file_names=names)
        except Exception:
            for part in parts:
                Path(part).unlink(missing_ok=True)
            raise
        self.reply(ds.describe(), status=202)

    def _split(self, sizes: list[int], names: list[str]) -> list[str]:
        parts = []
        with open(self._staging, "rb") as whole:
            for index, (size, name) in enumerate(zip(sizes, names)):
                target = self._staging.with_name(f"{self._staging.stem}-{index}-{name}")
                with open(target, "wb") as out:
                    shutil.copyfileobj(_Limited(whole, size), out, 1 << 20)
                parts.append(str(target))
        self._staging.unlink(missing_ok=True)
        return parts


class _Limited:
    """Reads at most `left` bytes of a file."""

    def __init__(self, stream: Any, left: int) -> None:
        self.stream, self.left = stream, left

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.stream.read(n) if n else b""
        self.left -= len(data)
        return data
