"""Turning a table's rows into vectors, and vectors into 2-D/3-D maps (no Jupyter imports).

Every usable column becomes a block of numbers scaled to the same total variance, so that
each column weighs the same in the distances whatever its kind: numbers are standardized
(missing values imputed, with a missing flag), categories are one-hot over their most frequent
values, texts go through TF-IDF reduced by a truncated SVD, dates become numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataplane_jupyter.core.stats.schema import arrow_type_kind

TOP_CATEGORIES = 20
TEXT_DIMENSIONS = 16
TEXT_VOCABULARY = 20_000
CLIP_STD = 5.0  # standardized values are clipped so that a few outliers do not flatten the map
VECTOR_DIMENSIONS = 32
MIN_ROWS_NONLINEAR = 50
MIN_ROWS_AUTO_UMAP = 1_000  # below this "auto" uses PCA: UMAP's one-off compilation (~1 min) would dominate


@dataclass
class Plan:
    """Which columns are embedded, how, and which are left out (with the reason)."""

    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, semantic type)
    skipped: list[dict[str, str]] = field(default_factory=list)


def plan_features(statistics: dict[str, Any], arrow_schema: pa.Schema) -> Plan:
    """Choose the columns to embed from the stored statistics (types, missing, distinct)."""
    plan = Plan()
    entries = {c["name"]: c for c in statistics.get("columns", [])}
    for arrow_field in arrow_schema:
        entry = entries.get(arrow_field.name, {})
        kind = entry.get("type") or _arrow_kind(arrow_field.type)
        reason = _skip_reason(entry, kind, arrow_field.type)
        if reason:
            plan.skipped.append({"name": arrow_field.name, "reason": reason})
        else:
            plan.columns.append((arrow_field.name, str(kind)))  # a kind, once there is no reason to skip
    return plan


def _arrow_kind(arrow: pa.DataType) -> str | None:
    """The kind a column without statistics is embedded as (the statistics' own typing; strings
    as categories); None when its values cannot be embedded."""
    if pa.types.is_string(arrow) or pa.types.is_large_string(arrow) or pa.types.is_dictionary(arrow):
        return "categorical"
    kind = arrow_type_kind(arrow)
    return kind if kind in ("boolean", "numeric", "datetime") else None


def _skip_reason(entry: dict[str, Any], kind: str | None, arrow: pa.DataType) -> str | None:
    if kind not in ("numeric", "boolean", "datetime", "categorical", "text") or _arrow_kind(arrow) is None:
        return f"values of type {arrow} are not embedded yet"
    count, distinct = entry.get("count"), entry.get("distinct")
    if count == 0:
        return "all values are missing"
    if distinct == 1 and not entry.get("missing"):
        return "constant: every value is the same"
    if kind == "categorical" and distinct is not None and count and distinct >= count and count > 50:
        return "every value is different (an identifier?)"
    return None


def encode(
    table: pa.Table, plan: Plan, seed: int, progress: Callable[[float, str], None]
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """The feature matrix (rows × dimensions, float32) and what each column became."""
    blocks, used = [], []
    for i, (name, kind) in enumerate(plan.columns):
        progress(i / max(1, len(plan.columns)), f"Encoding column {name!r} ({kind})")
        block, encoding = _encode_column(table.column(name), kind, seed)
        scaled = _unit_variance(block)
        if scaled is None:
            plan.skipped.append({"name": name, "reason": "no variation in the embedded rows"})
            continue
        blocks.append(scaled)
        used.append({"name": name, "type": kind, "encoding": encoding, "dimensions": scaled.shape[1]})
    if not blocks:
        return np.zeros((table.num_rows, 0), dtype=np.float32), used
    return np.hstack(blocks).astype(np.float32), used


def _encode_column(column: pa.ChunkedArray, kind: str, seed: int) -> tuple[np.ndarray, str]:
    if kind == "categorical":
        return _one_hot(column)
    if kind == "text":
        return _text(column, seed)
    return _numeric(_as_float(column, kind))


def _as_float(column: pa.ChunkedArray, kind: str) -> np.ndarray:
    if kind == "datetime" or pa.types.is_duration(column.type):  # durations are numeric in seconds
        arrow = column.type
        if pa.types.is_timestamp(arrow) or pa.types.is_date(arrow):
            column = pc.cast(column, pa.timestamp("s"), safe=False)  # whole seconds are enough for a map
        column = pc.cast(column, pa.int64())
    values = pc.cast(column, pa.float64(), safe=False).to_numpy(zero_copy_only=False).astype(np.float64)
    values[~np.isfinite(values)] = np.nan
    return values


def _numeric(values: np.ndarray) -> tuple[np.ndarray, str]:
    missing = np.isnan(values)
    present = values[~missing]
    if present.size == 0:
        return np.zeros((values.size, 0)), "standardized"
    mean, std = float(present.mean()), float(present.std())
    scaled = np.where(missing, 0.0, (values - mean) / (std or 1.0))
    scaled = np.clip(scaled, -CLIP_STD, CLIP_STD)
    if missing.any():
        return np.column_stack([scaled, missing.astype(np.float64)]), "standardized + missing flag"
    return scaled[:, None], "standardized"


def _one_hot(column: pa.ChunkedArray) -> tuple[np.ndarray, str]:
    strings = pc.cast(column, pa.string()) if not pa.types.is_string(column.type) else column
    counts = pc.value_counts(strings.drop_null()).to_pylist()
    counts.sort(key=lambda c: (-c["counts"], c["values"]))
    top = [c["values"] for c in counts[:TOP_CATEGORIES]]
    codes = pc.index_in(strings, value_set=pa.array(top, pa.string()))
    codes = pc.if_else(pc.and_(pc.is_null(codes), pc.is_valid(strings)), len(top), codes)
    codes = pc.fill_null(codes, len(top) + 1).to_numpy(zero_copy_only=False)
    block = np.zeros((len(codes), len(top) + 2))
    block[np.arange(len(codes)), codes] = 1.0
    block = block[:, block.any(axis=0)]
    other = " + other" if len(counts) > len(top) else ""
    return block, f"one-hot of the {len(top)} most frequent values{other}"


def _text(column: pa.ChunkedArray, seed: int) -> tuple[np.ndarray, str]:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = pc.fill_null(pc.cast(column, pa.string()), "").to_pylist()
    try:
        matrix = TfidfVectorizer(max_features=TEXT_VOCABULARY, sublinear_tf=True, dtype=np.float32).fit_transform(texts)
    except ValueError:  # no word at all in the column
        return np.zeros((len(texts), 0)), "tf-idf (no words)"
    dims = min(TEXT_DIMENSIONS, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if dims < 1:
        return matrix.toarray(), "tf-idf"
    reduced = TruncatedSVD(n_components=dims, random_state=seed).fit_transform(matrix)
    return reduced, f"tf-idf reduced to {dims} dimensions (truncated SVD)"


def _unit_variance(block: np.ndarray) -> np.ndarray | None:
    """Centre a column's block and scale it to total variance 1; None if it does not vary."""
    if block.shape[1] == 0 or block.shape[0] == 0:
        return None
    block = block - block.mean(axis=0)
    total = float(block.var(axis=0).sum())
    if total <= 1e-12:
        return None
    return block / np.sqrt(total)


def reduce(matrix: np.ndarray, seed: int) -> tuple[np.ndarray, list[float]]:
    """PCA space used for neighbours (at most 32 dimensions) and its explained variance ratios."""
    from sklearn.decomposition import PCA

    rows, dims = matrix.shape
    components = min(VECTOR_DIMENSIONS, dims, rows)
    if rows < 2 or components < 1:
        return np.zeros((rows, max(1, components)), dtype=np.float32), []
    pca = PCA(n_components=components, random_state=seed, svd_solver="full" if dims <= 64 else "randomized")
    vectors = pca.fit_transform(matrix).astype(np.float32)
    return vectors, [round(float(r), 6) for r in pca.explained_variance_ratio_]


def project_3d(vectors: np.ndarray, method: str, seed: int) -> np.ndarray:
    """x, y, z of every row; with PCA they are the first three components, so (x, y) is the
    best 2-D view. Non-linear maps are rotated onto their own principal axes for the same
    reason (a rotation keeps every distance)."""
    rows = vectors.shape[0]
    if method == "pca":
        points = vectors[:, :3]
    elif method == "umap":
        import umap

        neighbours = min(15, rows - 1)
        points = umap.UMAP(n_components=3, n_neighbors=neighbours, random_state=seed, n_jobs=1).fit_transform(vectors)
        points = _principal_axes(points)
    elif method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = min(30.0, (rows - 1) / 3)
        points = TSNE(n_components=3, perplexity=perplexity, init="pca", random_state=seed).fit_transform(vectors)
        points = _principal_axes(points)
    else:
        raise ValueError(f"unknown projection {method!r}")
    points = np.asarray(points, dtype=np.float32)
    if points.shape[1] < 3:
        points = np.hstack([points, np.zeros((rows, 3 - points.shape[1]), dtype=np.float32)])
    return points


def _principal_axes(points: np.ndarray) -> np.ndarray:
    centred = points - points.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    rotated = centred @ axes.T
    signs = np.sign(rotated[np.abs(rotated).argmax(axis=0), range(rotated.shape[1])])  # deterministic orientation
    return rotated * np.where(signs == 0, 1, signs)


def available_methods() -> list[str]:
    """Projection methods usable here: "auto", "pca", "tsne" (scikit-learn), "umap" if installed."""
    methods = ["auto", "pca"]
    if umap_installed():
        methods.append("umap")
    return [*methods, "tsne"]


def umap_installed() -> bool:
    """True when umap-learn can be imported."""
    from importlib.util import find_spec

    return find_spec("umap") is not None


def choose_method(requested: str, rows: int) -> tuple[str, str | None]:
    """The projection actually used, and a note when it differs from the one asked for."""
    if requested == "auto":
        if rows < MIN_ROWS_AUTO_UMAP:
            return "pca", None
        if umap_installed():
            return "umap", None
        return "pca", "umap-learn is not installed: PCA was used"
    if requested in ("umap", "tsne") and rows < MIN_ROWS_NONLINEAR:
        return "pca", f"{rows} rows are too few for {requested}: PCA was used"
    return requested, None
