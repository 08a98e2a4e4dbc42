"""REST handlers for a dataset's embeddings: compute them, read the 3-D map, nearest
neighbours of a row, and a selection of rows saved as a new dataset."""

from __future__ import annotations

import tornado.web

from ..core.embeddings.embeddings import save_selection, start_embeddings
from ..core.embeddings.views import embedding_map, neighbor_records
from ..core.errors import InvalidInput
from ..core.models import (
    ComputeEmbeddings,
    DescribeDataset,
    DescribeEmbeddings,
    DescribeJob,
    ListNeighborsResponse,
    SaveSelection,
)
from .base import DataplaneHandler, operation
from .handlers import describe_job, find_dataset


class EmbeddingsHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("The 3-D map of the rows, as columns (409 until computed)", response=DescribeEmbeddings,
               query={"color": "A column whose values for the embedded rows come along, to colour the map"})
    async def get(self, project: str, dataset: str) -> None:
        color = self.get_argument("color", None) or None
        ds = await self.call(find_dataset, self, project, dataset)
        self.reply(DescribeEmbeddings.model_validate(await self.call(embedding_map, ds, color)))

    @tornado.web.authenticated
    @operation("Compute the embeddings of a ready dataset (a job)", body=ComputeEmbeddings, response=DescribeJob,
               status=202)
    async def post(self, project: str, dataset: str) -> None:
        r = self.body(ComputeEmbeddings)
        ds = await self.call(find_dataset, self, project, dataset)
        handle = await self.call(start_embeddings, ds, sample_size=r.sample_size, seed=r.seed, method=r.method)
        self.reply(describe_job(await self.call(lambda: handle.info)), status=202)


class NeighborsHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("The embedded rows nearest to a row, nearest first", response=ListNeighborsResponse,
               query={"row": "Index of the row in the dataset", "k": "How many (default 5)"}, required=("row",))
    async def get(self, project: str, dataset: str) -> None:
        row, k = whole_number(self, "row", None), whole_number(self, "k", 5)
        ds = await self.call(find_dataset, self, project, dataset)
        found = await self.call(neighbor_records, ds, row, k)
        self.reply(ListNeighborsResponse.model_validate({"row": row, "neighbors": found}))


class SelectionHandler(DataplaneHandler):
    @tornado.web.authenticated
    @operation("Save rows as a new dataset (origin pipeline_intermediate)", body=SaveSelection,
               response=DescribeDataset, status=201)
    async def post(self, project: str, dataset: str) -> None:
        r = self.body(SaveSelection)
        ds = await self.call(find_dataset, self, project, dataset)
        self.reply((await self.call(save_selection, ds, r.rows, r.name)).describe(), status=201)


def whole_number(handler: DataplaneHandler, name: str, default: int | None) -> int:
    """A query parameter that must be a whole number (422 naming it otherwise, or when a
    required one is missing)."""
    text = handler.get_argument(name, None)
    if text is None:
        if default is None:
            raise InvalidInput(f"The query parameter {name} is required.", field=name)
        return default
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, not {text!r}.", field=name) from None
