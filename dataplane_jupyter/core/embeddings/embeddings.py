"""Embeddings of a dataset: a vector per row, a 3-D map of the rows, their nearest neighbours.

    handle = start_embeddings(ds, sample_size=50_000, seed=0, method="auto")   # a job
    handle.wait(); load_embeddings(ds)          # DataFrame: row, x, y, z (one per embedded row)
    neighbors(ds, 12, k=5)                      # the 5 rows nearest to row 12, with their values
    save_selection(ds, [3, 12, 40], "picked")   # a new dataset with those rows

The job streams the Parquet file in batches and keeps only a seeded random sample of rows
(all rows when the dataset is smaller than `sample_size`), so its memory is bounded by the
sample. Results live next to the dataset (`embeddings/points.parquet`, `embeddings/vectors.npy`)
and how they were made lives in the dataset record's `embeddings` column.
"""

from __future__ import annotations

import io
import threading
import time
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.datasets.paths import dataset_folder
from dataplane_jupyter.core.datasets.rows import open_parquet, sample_rows, take_rows
from dataplane_jupyter.core.embeddings import features
from dataplane_jupyter.core.errors import InvalidInput, InvalidState, NotFound
from dataplane_jupyter.core.jobs.handles import JobHandle
from dataplane_jupyter.core.jobs.runner import JobContext
from dataplane_jupyter.core.models import DatasetOrigin, DatasetStatus, EmbeddingsRecord

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.catalog import Catalog
    from dataplane_jupyter.core.datasets.datasets import Dataset
    from dataplane_jupyter.core.jobs.store import Job

FOLDER = "embeddings"
POINTS_FILE = f"{FOLDER}/points.parquet"
VECTORS_FILE = f"{FOLDER}/vectors.npy"
METHODS = ("auto", "pca", "umap", "tsne")
READ_SHARE, ENCODE_SHARE, REDUCE_SHARE = 0.45, 0.6, 0.7  # progress reached after each step


def start_embeddings(
    dataset: "Dataset", *, sample_size: int = 50_000, seed: int = 0, method: str = "auto"
) -> JobHandle:
    """Start computing the dataset's embeddings in the background; returns the job's handle.

    `method` is the projection to 3-D: "pca", "umap" (needs umap-learn), "tsne", or "auto"
    (UMAP when installed and at least 1,000 rows are embedded, else PCA). Neighbours always
    use a PCA space of the row vectors.
    """
    _check_options(sample_size, seed, method)
    info = dataset.info
    if info.status is not DatasetStatus.READY:
        raise InvalidState(f"Dataset {info.name!r} is not ready: embeddings need its data and statistics.")
    current = info.embeddings
    if current and current["status"] == "computing" and not _job_finished(dataset.catalog, current.get("job_id")):
        raise InvalidState(f"The embeddings of dataset {info.name!r} are already being computed.")
    run = schema.new_id()  # owns the record: a later computation takes it over
    record = {"status": "computing", "run": run, "job_id": None, "requested_method": method,
              "sample_size": sample_size, "seed": seed, "started_at": schema.utcnow().isoformat()}
    _set_embeddings(dataset.catalog, info.id, record, run=None)
    job = dataset.catalog.jobs.start(
        "dataset.embeddings",
        f"{__name__}:run_embeddings",
        on_end=f"{__name__}:on_embeddings_end",
        project_id=info.project_id,
        target=("dataset", info.id),
        params={"project_id": info.project_id, "dataset_id": info.id, "run": run,
                "sample_size": sample_size, "seed": seed, "method": method},
    )
    _set_embeddings(dataset.catalog, info.id, {**record, "job_id": job.id}, run=run, only_computing=True)
    return dataset.catalog.jobs.handle(job.id)


def _check_options(sample_size: int, seed: int, method: str) -> None:
    if isinstance(sample_size, bool) or not isinstance(sample_size, int) or sample_size < 2:
        raise InvalidInput(
            f"sample_size must be a whole number of at least 2, not {sample_size!r}.", field="sample_size")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise InvalidInput(f"seed must be a whole number between 0 and 2**32 - 1, not {seed!r}.", field="seed")
    if method not in METHODS:
        raise InvalidInput(f"method {method!r} is not one of {', '.join(METHODS)}.", field="method")
    if method == "umap" and not features.umap_installed():
        raise InvalidInput("method 'umap' needs umap-learn: pip install 'dataplane_jupyter[umap]'.", field="method")


def _job_finished(catalog: "Catalog", job_id: str | None) -> bool:
    if not job_id:
        return True
    try:
        job = catalog.jobs.get(job_id)
    except NotFound:
        return True
    if not job.status.finished:
        catalog.jobs.reap()  # its worker may have died
        job = catalog.jobs.get(job_id)
    return job.status.finished


def _job_error(catalog: "Catalog", job_id: str | None) -> str | None:
    try:
        return catalog.jobs.get(job_id).error if job_id else None
    except NotFound:
        return None


def _set_embeddings(
    catalog: "Catalog", dataset_id: str, values: dict[str, Any], *, run: str | None, only_computing: bool = False
) -> bool:
    """Replace the dataset's embeddings record; with `run`, only while that run owns it."""
    d = schema.datasets
    query = d.update().where(d.c.id == dataset_id).values(embeddings=values)
    if run is not None:
        query = query.where(d.c.embeddings["run"].as_string() == run)
    if only_computing:
        query = query.where(d.c.embeddings["status"].as_string() == "computing")
    with catalog.engine.begin() as connection:
        return connection.execute(query).rowcount > 0


def _current(catalog: "Catalog", dataset_id: str) -> dict[str, Any] | None:
    with catalog.engine.connect() as connection:
        query = sa.select(schema.datasets.c.embeddings).where(schema.datasets.c.id == dataset_id)
        return connection.execute(query).scalar()


def run_embeddings(ctx: JobContext) -> dict[str, Any]:
    """Job: sample the rows, encode them, reduce to a neighbour space, project to 3-D, store."""
    catalog, params = ctx.catalog, ctx.params
    dataset = catalog.project_by_id(params["project_id"]).datasets.get(params["dataset_id"])
    seed = params["seed"]
    ctx.progress(0.0, "Choosing the rows to embed", force=True)
    rows, total, matrix, plan, used = _sample_and_encode(ctx, dataset)
    ctx.progress(ENCODE_SHARE, f"Reducing {matrix.shape[1]} dimensions with PCA", force=True)
    vectors, explained = features.reduce(matrix, seed)
    del matrix
    method, note = features.choose_method(params["method"], len(rows))
    message = f"Projecting {len(rows):,} rows to 3-D with {method.upper()}"
    ctx.progress(REDUCE_SHARE, message, force=True)
    points = _while_reporting(ctx, lambda: features.project_3d(vectors, method, seed), message, len(rows))
    ctx.progress(0.95, "Saving the embeddings", force=True)
    _write(dataset, rows, points, vectors)
    meta = {
        "status": "ready", "run": params["run"], "job_id": ctx.job.id, "method": method,
        "requested_method": params["method"], "note": note, "rows": total, "sample_size": len(rows),
        "sampled": len(rows) < total, "seed": seed, "features": used, "skipped": plan.skipped,
        "dimensions": 3, "vector_dimensions": int(vectors.shape[1]), "neighbors_space": "pca",
        "explained_variance": explained, "versions": _versions(method),
        "started_at": (_current(catalog, dataset.id) or {}).get("started_at"),
        "computed_at": schema.utcnow().isoformat(), "error": None,
    }
    if not _set_embeddings(catalog, dataset.id, meta, run=params["run"]):
        what = "started again" if _exists(catalog, dataset.id) else "deleted"
        raise InvalidState(f"Dataset {dataset.describe().name!r} was {what} while its embeddings were computed.")
    return {"rows": len(rows), "method": method, "features": len(used)}


def _sample_and_encode(
    ctx: JobContext, dataset: "Dataset"
) -> tuple[np.ndarray, int, np.ndarray, features.Plan, list[dict[str, Any]]]:
    """The sampled row indices, the dataset's row count, their feature matrix, the plan and
    what each embedded column became; InvalidInput when no column can be embedded."""
    with open_parquet(dataset) as parquet:
        arrow_schema, total = parquet.schema_arrow, parquet.metadata.num_rows
    plan = features.plan_features(dataset.statistics(), arrow_schema)
    used: list[dict[str, Any]] = []
    if plan.columns:
        rows = sample_rows(total, ctx.params["sample_size"], ctx.params["seed"])
        table = take_rows(dataset, rows, columns=[name for name, _ in plan.columns],
                          progress=lambda f: ctx.progress(f * READ_SHARE, f"Reading rows ({f:.0%})"))
        matrix, used = features.encode(
            table, plan, ctx.params["seed"],
            lambda f, m: ctx.progress(READ_SHARE + f * (ENCODE_SHARE - READ_SHARE), m))
    if not used:
        raise InvalidInput(f"Dataset {dataset.name!r} has no column that can be embedded: {_skipped_text(plan)}.")
    return rows, total, matrix, plan, used


def _while_reporting(ctx: JobContext, work: Callable[[], np.ndarray], message: str, rows: int) -> np.ndarray:
    """Run a projection that reports nothing in a helper thread, so that progress moves and a
    cancellation stops the job at once (the abandoned thread ends with the worker)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - re-raised in the job's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name=f"embeddings-{ctx.job.id}", daemon=True)
    thread.start()
    began, expected = time.monotonic(), 10 + rows / 1_500  # rough seconds, for a moving bar
    while thread.is_alive():
        thread.join(0.5)
        elapsed = time.monotonic() - began
        fraction = REDUCE_SHARE + (0.95 - REDUCE_SHARE) * elapsed / (elapsed + expected)
        ctx.progress(fraction, f"{message} ({elapsed:.0f} s)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _skipped_text(plan: features.Plan) -> str:
    return "; ".join(f"{s['name']} ({s['reason']})" for s in plan.skipped) or "it has no columns"


def _versions(method: str) -> dict[str, str]:
    names = ["scikit-learn"] + (["umap-learn"] if method == "umap" else [])
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def _write(dataset: "Dataset", rows: np.ndarray, points: np.ndarray, vectors: np.ndarray) -> None:
    storage, folder = dataset.catalog.storage, dataset._folder
    table = pa.table({"row": pa.array(rows, pa.int64()), "x": points[:, 0], "y": points[:, 1], "z": points[:, 2]})
    with storage.open(f"{folder}/{VECTORS_FILE}", "wb") as out:
        np.save(out, vectors, allow_pickle=False)
    with storage.open(f"{folder}/{POINTS_FILE}", "wb") as out:
        pq.write_table(table, out)


def on_embeddings_end(catalog: "Catalog", job: "Job") -> None:
    """A failed or cancelled embeddings job: status `failed` with the reason, files removed."""
    params = job.params
    folder = dataset_folder(params["project_id"], params["dataset_id"])
    meta = _current(catalog, params["dataset_id"])
    if meta is None and not _exists(catalog, params["dataset_id"]):
        catalog.storage.remove(folder)  # deleted meanwhile: nothing of it may stay behind
        return
    failed = {**(meta or {}), "status": "failed", "job_id": job.id, "error": job.error, "computed_at": None}
    if _set_embeddings(catalog, params["dataset_id"], failed, run=params["run"]):
        catalog.storage.remove(f"{folder}/{FOLDER}")


def _exists(catalog: "Catalog", dataset_id: str) -> bool:
    with catalog.engine.connect() as connection:
        query = sa.select(schema.datasets.c.id).where(schema.datasets.c.id == dataset_id)
        return connection.execute(query).first() is not None


def _require_ready(dataset: "Dataset") -> EmbeddingsRecord:
    meta, name = dataset.info.embeddings, dataset.info.name
    if meta is None:
        raise InvalidState(f"Dataset {name!r} has no embeddings yet: compute them first (ds.compute_embeddings()).")
    if meta["status"] == "ready":
        return meta
    error = meta.get("error")
    if meta["status"] == "computing":
        if not _job_finished(dataset.catalog, meta.get("job_id")):
            raise InvalidState(f"The embeddings of dataset {name!r} are still being computed.")
        error = _job_error(dataset.catalog, meta.get("job_id"))  # failed; its on_end is running
    raise InvalidState(f"The embeddings of dataset {name!r} failed: {error}. Compute them again.")


def load_embeddings(dataset: "Dataset") -> pd.DataFrame:
    """One row per embedded dataset row: `row` (its index in the dataset), `x`, `y`, `z`."""
    _require_ready(dataset)
    with dataset.catalog.storage.open_arrow(f"{dataset._folder}/{POINTS_FILE}") as stream:
        return pq.read_table(stream).to_pandas()


def _load_vectors(dataset: "Dataset") -> np.ndarray:
    with dataset.catalog.storage.open(f"{dataset._folder}/{VECTORS_FILE}") as stream:
        return np.load(io.BytesIO(stream.read()), allow_pickle=False)


def neighbors(dataset: "Dataset", row: int, k: int = 5) -> pd.DataFrame:
    """The `k` embedded rows nearest to `row` (itself excluded): `row`, the dataset's columns,
    and `distance` (Euclidean, in the PCA space of the row vectors), nearest first."""
    meta = _require_ready(dataset)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidInput(f"k must be a whole number of at least 1, not {k!r}.", field="k")
    points = load_embeddings(dataset)["row"].to_numpy()
    position = _position(dataset, meta, points, row)
    vectors = _load_vectors(dataset)
    distances = np.sqrt(((vectors - vectors[position]) ** 2).sum(axis=1, dtype=np.float64))
    distances[position] = np.inf
    k = min(k, len(points) - 1)
    nearest = np.argpartition(distances, k - 1)[:k] if k > 0 else np.array([], dtype=np.int64)
    nearest = nearest[np.lexsort((points[nearest], distances[nearest]))]
    chosen = points[nearest]
    order = np.argsort(chosen, kind="stable")
    values = take_rows(dataset, chosen[order]).to_pandas()
    values = values.iloc[np.argsort(order)].reset_index(drop=True)
    values.insert(0, "row", chosen)
    values["distance"] = distances[nearest]
    return values


def _position(dataset: "Dataset", meta: EmbeddingsRecord, points: np.ndarray, row: int) -> int:
    if isinstance(row, bool) or not isinstance(row, (int, np.integer)):
        raise InvalidInput(f"row must be a row number, not {row!r}.", field="row")
    total = meta.get("rows", dataset.info.rows or 0)
    if not 0 <= row < total:
        raise InvalidInput(
            f"Row {row} is out of range: dataset {dataset.info.name!r} has rows 0 to {total - 1}.", field="row")
    position = int(np.searchsorted(points, row))
    if position >= len(points) or points[position] != row:
        raise InvalidInput(
            f"Row {row} is not in the embedded sample ({len(points):,} of {total:,} rows); "
            "pick a row listed by ds.embeddings().", field="row")
    return position


def save_selection(dataset: "Dataset", rows: Iterable[int], name: str) -> "Dataset":
    """A new dataset (origin `pipeline_intermediate`) holding the given rows, in dataset order;
    its `source` records `{"selection_of": <name>, "selection_of_id": <id>, "rows": n}`."""
    info = dataset.info
    if info.status is not DatasetStatus.READY:
        raise InvalidState(f"Dataset {info.name!r} is not ready.")
    indices = _selection(rows, info.rows or 0, info.name)
    table = take_rows(dataset, indices)
    source = {"selection_of": info.name, "selection_of_id": info.id, "rows": len(indices)}
    return dataset.project.datasets.from_arrow(table, name, origin=DatasetOrigin.PIPELINE_INTERMEDIATE.value, source=source)


def _selection(rows: Iterable[int], total: int, name: str) -> np.ndarray:
    values = list(rows)
    if not values:
        raise InvalidInput("The selection is empty: pick at least one row.", field="rows")
    bad = [r for r in values if isinstance(r, bool) or not isinstance(r, (int, np.integer))]
    if bad:
        raise InvalidInput(f"Rows must be row numbers; got {bad[0]!r}.", field="rows")
    outside = [r for r in values if not 0 <= r < total]
    if outside:
        raise InvalidInput(
            f"Row {outside[0]} is out of range: dataset {name!r} has rows 0 to {total - 1}.", field="rows")
    return np.unique(np.asarray(values, dtype=np.int64))
