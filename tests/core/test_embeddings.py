"""Embeddings: a vector and a 3-D point per row, nearest neighbours, saved selections."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.datasets.rows import sample_rows
from dataplane_jupyter.core.embeddings.embeddings import (
    FOLDER,
    load_embeddings,
    neighbors,
    save_selection,
    start_embeddings,
)
from dataplane_jupyter.core.embeddings.embeddings import features as embedding_features

WAIT = 120


@pytest.fixture
def project(catalog):
    return catalog.project("p")


def clusters(n_per: int = 40, seed: int = 0) -> pd.DataFrame:
    """Three clusters far apart in 4 numeric columns, with a categorical column that agrees."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0, 0], [20, 20, 0, 0], [0, 20, 20, 20]], dtype=float)
    parts = []
    for label, centre in enumerate(centres):
        values = centre + rng.normal(scale=1.0, size=(n_per, 4))
        part = pd.DataFrame(values, columns=["a", "b", "c", "d"])
        part["group"] = f"g{label}"
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)  # clusters interleaved by row


def ready(project, frame: pd.DataFrame, name: str):
    return project.datasets.from_pandas(frame, name).wait(timeout=WAIT)


def settled(ds) -> dict:
    """The embeddings record once the job's clean-up (which follows its end) has run."""
    _wait_for(lambda: ds.info.embeddings["status"] != "computing")
    return ds.info.embeddings


def embeddings_files(catalog, ds) -> bool:
    return catalog.storage.exists(f"{ds._folder}/{FOLDER}")


@pytest.mark.parametrize("method", ["pca", "umap", "tsne"])
def test_every_neighbour_of_a_point_is_in_its_cluster(project, method):
    frame = clusters()
    ds = ready(project, frame, "clusters")
    ds.compute_embeddings(method=method).wait(timeout=600)
    meta = ds.info.embeddings
    assert (meta["status"], meta["method"], meta["sample_size"], meta["sampled"]) == ("ready", method, 120, False)
    for row in range(len(frame)):
        near = ds.neighbors(row, k=5)
        assert len(near) == 5 and row not in near["row"].tolist()
        assert set(frame.loc[near["row"], "group"]) == {frame.loc[row, "group"]}, row
        assert (near["group"] == frame.loc[row, "group"]).all()  # values come from the dataset
        assert near["distance"].is_monotonic_increasing
    # the map keeps the clusters apart too: a point's nearest points on the map are in its cluster
    points = ds.embeddings().set_index("row").loc[range(len(frame))]
    xyz = points[["x", "y", "z"]].to_numpy()
    apart = np.linalg.norm(xyz[:, None, :] - xyz[None], axis=2)
    np.fill_diagonal(apart, np.inf)
    nearest = frame["group"].to_numpy()[np.argsort(apart, axis=1)[:, :5]]
    purity = (nearest == frame["group"].to_numpy()[:, None]).mean()
    assert purity >= (0.9 if method == "tsne" else 1.0)  # t-SNE on 120 points frays cluster edges


@pytest.mark.team
def test_embeddings_have_one_row_per_dataset_row(project):
    ds = ready(project, clusters(), "c")
    ds.compute_embeddings(method="pca").wait(timeout=WAIT)
    points = ds.embeddings()
    assert list(points.columns) == ["row", "x", "y", "z"]
    assert points["row"].tolist() == list(range(120))
    assert np.isfinite(points[["x", "y", "z"]].to_numpy()).all()
    assert points[["x", "y", "z"]].std().gt(0).all()
    pd.testing.assert_frame_equal(points, load_embeddings(ds))
    pd.testing.assert_frame_equal(ds.neighbors(7, k=3), neighbors(ds, 7, 3))


def test_same_seed_same_coordinates_other_seed_other_sample(project):
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=2_000), "b": rng.normal(size=2_000), "k": rng.choice(list("abcde"), 2_000)})
    ds = ready(project, frame, "big")
    start_embeddings(ds, sample_size=500, seed=7, method="pca").wait(timeout=WAIT)
    first = ds.embeddings()
    start_embeddings(ds, sample_size=500, seed=7, method="pca").wait(timeout=WAIT)
    pd.testing.assert_frame_equal(first, ds.embeddings())
    start_embeddings(ds, sample_size=500, seed=8, method="pca").wait(timeout=WAIT)
    assert ds.embeddings()["row"].tolist() != first["row"].tolist()
    assert ds.info.embeddings["seed"] == 8


def test_umap_is_reproducible_with_a_seed(project):
    ds = ready(project, clusters(), "c")
    ds.compute_embeddings(method="umap", seed=3).wait(timeout=600)
    first = ds.embeddings()
    ds.compute_embeddings(method="umap", seed=3).wait(timeout=600)
    pd.testing.assert_frame_equal(first, ds.embeddings())


def test_large_datasets_are_sampled_and_the_sample_is_recorded(project):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=1_000), "b": rng.integers(0, 9, 1_000)})
    ds = ready(project, frame, "sampled")
    ds.compute_embeddings(sample_size=100, seed=1, method="auto").wait(timeout=600)
    meta = ds.info.embeddings
    assert (meta["rows"], meta["sample_size"], meta["sampled"], meta["seed"]) == (1_000, 100, True, 1)
    assert meta["method"] in ("umap", "pca") and meta["requested_method"] == "auto"
    rows = ds.embeddings()["row"]
    assert len(rows) == 100 and rows.is_unique and rows.is_monotonic_increasing
    assert rows.between(0, 999).all()
    assert rows.tolist() == sample_rows(1_000, 100, 1).tolist()
    missing = next(r for r in range(1_000) if r not in set(rows))
    with pytest.raises(dp.InvalidInput, match=f"Row {missing} is not in the embedded sample"):
        ds.neighbors(missing)
    with pytest.raises(dp.InvalidInput, match="Row 1000 is out of range"):
        ds.neighbors(1_000)
    with pytest.raises(dp.InvalidInput, match="Row -1 is out of range"):
        ds.neighbors(-1)
    near = ds.neighbors(int(rows.iloc[0]), k=3)
    assert set(near["row"]) <= set(rows) and len(near) == 3
    pd.testing.assert_frame_equal(
        near[["a", "b"]].reset_index(drop=True), frame.loc[near["row"], ["a", "b"]].reset_index(drop=True)
    )


def test_mixed_types_with_missing_values(project):
    rng = np.random.default_rng(2)
    n = 300
    words = ["the delivery arrived late and the box was damaged badly", "great product works exactly as described in the listing",
             "customer service never answered my emails about the refund", "fast shipping and the quality is better than expected"]
    frame = pd.DataFrame({
        "price": rng.normal(100, 20, n),
        "qty": rng.integers(0, 10, n).astype(float),
        "colour": rng.choice(["red", "green", "blue"], n).astype(object),
        "review": rng.choice(words, n).astype(object),
        "when": pd.date_range("2024-01-01", periods=n, freq="1537ms"),  # sub-second timestamps
        "paid": rng.random(n) < 0.5,
        "order_id": [f"order-{i}" for i in range(n)],
    })
    frame.loc[::4, "price"] = np.nan
    frame.loc[::6, "colour"] = None
    frame.loc[::9, "review"] = None
    ds = ready(project, frame, "mixed")
    assert ds.column("review")["type"] == "text"
    ds.compute_embeddings(method="pca").wait(timeout=WAIT)
    meta = ds.info.embeddings
    used = {f["name"]: f for f in meta["features"]}
    assert set(used) == {"price", "qty", "colour", "review", "when", "paid"}
    assert used["price"]["encoding"] == "standardized + missing flag"
    assert used["colour"]["type"] == "categorical" and used["colour"]["dimensions"] == 4  # 3 colours + missing
    assert used["review"]["encoding"].startswith("tf-idf")
    assert meta["skipped"] == [{"name": "order_id", "reason": "every value is different (an identifier?)"}]
    points = ds.embeddings()
    assert len(points) == n and np.isfinite(points[["x", "y", "z"]].to_numpy()).all()
    near = ds.neighbors(0, k=4)
    assert list(near.columns) == ["row", *frame.columns, "distance"]


def test_a_failed_computation_leaves_no_ready_embeddings(project, catalog):
    ids = pd.DataFrame({"customer": [f"c{i}" for i in range(100)]})
    ds = ready(project, ids, "only_ids")
    with pytest.raises(dp.JobFailed, match="no column that can be embedded: customer \\(every value is different"):
        ds.compute_embeddings().wait(timeout=WAIT)
    meta = settled(ds)
    assert meta["status"] == "failed" and "customer" in meta["error"]
    assert not embeddings_files(catalog, ds)
    with pytest.raises(dp.InvalidState, match="failed"):
        ds.embeddings()


def test_a_failed_recomputation_removes_the_previous_result(project, catalog, monkeypatch):
    ds = ready(project, clusters(), "c")
    ds.compute_embeddings(method="pca").wait(timeout=WAIT)
    assert embeddings_files(catalog, ds)

    def broken(vectors, method, seed):
        raise RuntimeError("projection exploded")

    monkeypatch.setattr(embedding_features, "project_3d", broken)
    with pytest.raises(dp.JobFailed, match="projection exploded"):
        ds.compute_embeddings(method="pca").wait(timeout=WAIT)
    assert settled(ds)["status"] == "failed"
    assert "projection exploded" in ds.info.embeddings["error"]
    assert not embeddings_files(catalog, ds)
    with pytest.raises(dp.InvalidState):
        ds.neighbors(0)


def test_cancelling_stops_a_slow_projection_at_once(project, catalog, monkeypatch):
    ds = ready(project, clusters(), "c")
    release = threading.Event()

    def slow(vectors, method, seed):
        release.wait(60)
        raise RuntimeError("should have been abandoned")

    monkeypatch.setattr(embedding_features, "project_3d", slow)
    handle = ds.compute_embeddings(method="pca")
    with pytest.raises(dp.InvalidState, match="already being computed"):
        ds.compute_embeddings(method="pca")
    _wait_for(lambda: "Projecting" in (handle.message or ""))
    handle.cancel()
    with pytest.raises(dp.JobFailed, match="cancelled"):
        handle.wait(timeout=30)
    release.set()
    meta = settled(ds)
    assert meta["status"] == "failed" and "Cancelled" in meta["error"]
    assert not embeddings_files(catalog, ds)


def _wait_for(condition, timeout: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.05)


def test_refusals_before_computing_and_bad_options(project):
    ds = ready(project, clusters(), "c")
    with pytest.raises(dp.InvalidState, match="no embeddings yet"):
        ds.embeddings()
    with pytest.raises(dp.InvalidState, match="no embeddings yet"):
        ds.neighbors(0)
    with pytest.raises(dp.InvalidInput, match="method 'magic' is not one of"):
        ds.compute_embeddings(method="magic")
    with pytest.raises(dp.InvalidInput, match="sample_size"):
        ds.compute_embeddings(sample_size=1)
    with pytest.raises(dp.InvalidInput, match="seed"):
        ds.compute_embeddings(seed=-1)
    assert ds.info.embeddings is None
    ds.compute_embeddings(method="pca").wait(timeout=WAIT)
    with pytest.raises(dp.InvalidInput, match="k must be"):
        ds.neighbors(0, k=0)


@pytest.mark.team
def test_save_selection_makes_a_ready_dataset_with_exactly_those_rows(project):
    frame = clusters()
    ds = ready(project, frame, "c")
    picked = save_selection(ds, [57, 3, 12, 3], "picked").wait(timeout=WAIT)
    assert (picked.status, picked.origin, picked.rows) == ("ready", "pipeline_intermediate", 3)
    assert picked.info.source == {"selection_of": "c", "selection_of_id": ds.id, "rows": 3}
    pd.testing.assert_frame_equal(picked.to_pandas(), frame.loc[[3, 12, 57]].reset_index(drop=True))
    assert picked.column("group")["type"] == ds.column("group")["type"]
    with pytest.raises(dp.InvalidInput, match="Row 120 is out of range"):
        save_selection(ds, [1, 120], "bad")
    with pytest.raises(dp.InvalidInput, match="empty"):
        save_selection(ds, [], "bad")
    with pytest.raises(dp.AlreadyExists):
        save_selection(ds, [1], "picked")
    assert "bad" not in project.datasets


@pytest.mark.team
def test_jobs_run_in_a_worker_process(process_catalog):
    ds = process_catalog.project("p").datasets.from_pandas(clusters(), "c").wait(timeout=WAIT)
    handle = ds.compute_embeddings(method="pca").wait(timeout=WAIT)
    assert handle.info.kind == "dataset.embeddings"
    assert len(ds.embeddings()) == 120
    assert ds.info.embeddings["job_id"] == handle.id


def test_deleting_the_dataset_cancels_its_embeddings_and_leaves_no_files(project, catalog, monkeypatch):
    ds = ready(project, clusters(), "c")
    folder, release = ds._folder, threading.Event()
    real = embedding_features.project_3d

    def slow(vectors, method, seed):
        release.wait(60)
        return real(vectors, method, seed)

    monkeypatch.setattr(embedding_features, "project_3d", slow)
    handle = ds.compute_embeddings(method="pca")
    _wait_for(lambda: "Projecting" in (handle.message or ""))
    ds.delete()
    assert handle.info.cancel_requested  # deleting stops the computation rather than letting it finish
    with pytest.raises(dp.JobFailed, match="cancelled"):
        handle.wait(timeout=30)
    release.set()
    _wait_for(lambda: not catalog.storage.exists(folder))


def test_auto_uses_umap_only_when_installed_and_worth_its_start_up(monkeypatch):
    monkeypatch.setattr(embedding_features, "umap_installed", lambda: True)
    assert embedding_features.choose_method("auto", 999) == ("pca", None)
    assert embedding_features.choose_method("auto", 1_000) == ("umap", None)
    assert embedding_features.choose_method("tsne", 10)[0] == "pca"
    monkeypatch.setattr(embedding_features, "umap_installed", lambda: False)
    assert embedding_features.choose_method("auto", 50_000) == ("pca", "umap-learn is not installed: PCA was used")
    assert "umap" not in embedding_features.available_methods()
