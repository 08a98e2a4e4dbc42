"""REST handlers for a dataset's embeddings: compute them, read the 3-D map, nearest
neighbours of a row, and a selection of rows saved as a new dataset."""

from __future__ import annotations

from ..core.embeddings.embeddings import save_selection, start_embeddings
from ..core.embeddings.views import embedding_map, neighbor_records
from ..core.models import (
    ComputeEmbeddings,
    DescribeDataset,
    DescribeEmbeddings,
    DescribeJob,
    EmbeddingMapQuery,
    ListNeighborsResponse,
    NeighborsQuery,
    SaveSelection,
)
from .base import DataplaneHandler, operation
from .handlers import describe_job


class EmbeddingsHandler(DataplaneHandler):
    @operation("The 3-D map of the rows, as columns (409 until computed)", response=DescribeEmbeddings,
               query=EmbeddingMapQuery)
    async def get(self, project: str, dataset: str) -> None:
        color = self.query(EmbeddingMapQuery).color or None
        ds = await self.call(self.dataset, project, dataset)
        self.reply(DescribeEmbeddings.model_validate(await self.call(embedding_map, ds, color)))

    @operation("Compute the embeddings of a ready dataset (a job)", body=ComputeEmbeddings, response=DescribeJob,
               status=202)
    async def post(self, project: str, dataset: str) -> None:
        r = self.body(ComputeEmbeddings)
        ds = await self.call(self.dataset, project, dataset)
        handle = await self.call(start_embeddings, ds, sample_size=r.sample_size, seed=r.seed, method=r.method)
        self.reply(describe_job(await self.call(lambda: handle.info)), status=202)


class NeighborsHandler(DataplaneHandler):
    @operation("The embedded rows nearest to a row, nearest first", response=ListNeighborsResponse,
               query=NeighborsQuery)
    async def get(self, project: str, dataset: str) -> None:
        q = self.query(NeighborsQuery)
        row, k = q.row, q.k
        ds = await self.call(self.dataset, project, dataset)
        found = await self.call(neighbor_records, ds, row, k)
        self.reply(ListNeighborsResponse.model_validate({"row": row, "neighbors": found}))


class SelectionHandler(DataplaneHandler):
    @operation("Save rows as a new dataset (origin pipeline_intermediate)", body=SaveSelection,
               response=DescribeDataset, status=201)
    async def post(self, project: str, dataset: str) -> None:
        r = self.body(SaveSelection)
        ds = await self.call(self.dataset, project, dataset)
        self.reply((await self.call(save_selection, ds, r.rows, r.name)).describe(), status=201)

