"""Retry of a failed import, on the same dataset, with other CSV options."""

from __future__ import annotations

from ..core.datasets.import_retry import options_for_retry, retry_import
from ..core.models import DescribeDataset, RetryImport
from .base import DataplaneHandler, operation


class RetryImportHandler(DataplaneHandler):
    @operation("The options a retry of this failed import starts from (given, else detected); 409 unless failed",
               response=RetryImport)
    async def get(self, project: str, dataset: str) -> None:
        ds = await self.call(self.dataset, project, dataset)
        self.reply(RetryImport.model_validate(await self.call(options_for_retry, ds)))

    @operation("Import a failed dataset again from its source with these options (absent: as before)",
               body=RetryImport, response=DescribeDataset, status=202)
    async def post(self, project: str, dataset: str) -> None:
        request = self.body(RetryImport)
        ds = await self.call(self.dataset, project, dataset)
        options = request.model_dump(exclude_unset=True)
        if options.get("on_bad_rows") is None:
            options.pop("on_bad_rows", None)  # null: as the failed attempt did
        retried = await self.call(retry_import, ds, **options)
        self.reply(retried.describe(), status=202)
