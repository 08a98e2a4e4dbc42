"""gs:// and s3:// image URLs fetched when arrays are asked for (issue #17, point 5): through the
project's connectors or anonymously, bounded and timed per image, failures counted — against the
S3 (moto, credentials checked) and GCS emulator test servers."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.images.remote import RemoteImages
from dataplane_jupyter.core.images.tensors import ImageFillWarning
from tests.archive_builders import image_bytes


def csv_of_urls(tmp_path: Path, urls: list[str]) -> Path:
    path = tmp_path / "index.csv"
    path.write_text("id,photo\n" + "".join(f"{i},{u}\n" for i, u in enumerate(urls)))
    return path


@pytest.fixture
def s3_bucket(s3_server: Any, unique: str) -> str:
    client = s3_server.client()
    client.create_bucket(Bucket=unique, CreateBucketConfiguration={"LocationConstraint": s3_server.region})
    client.put_object(Bucket=unique, Key="img/red.png", Body=image_bytes("PNG", (20, 10), "RGB", (255, 0, 0)))
    client.put_object(Bucket=unique, Key="img/blue.jpg", Body=image_bytes("JPEG", (10, 10), "RGB", (0, 0, 255)))
    client.put_object(Bucket=unique, Key="img/broken.png", Body=b"\x89PNG not really")
    return unique


def s3_connector(project: Any, s3_server: Any, name: str = "lake", keys: Any = None) -> Any:
    keys = keys or s3_server.admin
    return project.connectors.create(name, kind="s3", access_key_id=keys.access_key_id,
                                     secret_access_key=keys.secret_access_key, region=s3_server.region,
                                     endpoint_url=s3_server.endpoint_url)


def test_s3_images_are_fetched_through_the_projects_connector(catalog: dp.Catalog, s3_server: Any, s3_bucket: str,
                                                              tmp_path: Path) -> None:
    project = catalog.project("p")
    s3_connector(project, s3_server, "a-nobody", s3_server.nobody)  # tried first (name order), cannot read
    s3_connector(project, s3_server)
    urls = [f"s3://{s3_bucket}/img/red.png", f"s3://{s3_bucket}/img/blue.jpg",
            f"s3://{s3_bucket}/img/gone.png", f"s3://{s3_bucket}/img/broken.png"]
    ds = project.datasets.import_file(csv_of_urls(tmp_path, urls), name="remote").wait(timeout=60)
    assert ds.column("photo")["type"] == "image"
    options = ds.feature_options("photo")  # defaults from a sample fetched now: the images' sizes
    assert options.sizes == {"20×10": 1, "10×10": 1}
    ds.set_feature_options("photo", transformation="resize", size=(4, 4), color_mode="rgb")
    with pytest.warns(ImageFillWarning, match=r"2 of 4 rows filled with zeros: 2 unusable \(row 2: s3://.*/img/gone.png: no such object; "
                                              r"row 3: s3://.*/img/broken.png"):
        array = ds.to_numpy("photo", max_parallel=2, timeout=20)
    assert array.shape == (4, 4, 4, 3)
    assert np.allclose(array[0], [1, 0, 0]) and np.allclose(array[1], [0, 0, 1], atol=0.02)
    assert not array[2].any() and not array[3].any()


def test_a_named_connector_is_used_and_a_wrong_kind_refused(catalog: dp.Catalog, s3_server: Any, s3_bucket: str) -> None:
    project = catalog.project("p")
    s3_connector(project, s3_server, "mine")
    got = RemoteImages(project, connector="mine").fetch([f"s3://{s3_bucket}/img/red.png", None])
    assert got.errors == {} and got.data[0][:4] == b"\x89PNG" and got.data[1] is None
    assert got.served_by == {f"s3://{s3_bucket}": "mine"}
    with pytest.raises(dp.NotFound, match="cannot read gs:// URLs"):
        RemoteImages(project, connector="mine").fetch(["gs://b/x.png"])


def test_anonymous_access_is_tried_without_a_connector_and_refusals_are_counted(
        catalog: dp.Catalog, s3_server: Any, s3_bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server.endpoint_url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", s3_server.region)
    got = RemoteImages(catalog.project("p")).fetch([f"s3://{s3_bucket}/img/red.png"])
    assert got.served_by == {f"s3://{s3_bucket}": "anonymous"}
    assert list(got.errors) == [0] and "img/red.png" in got.errors[0]  # the test server's bucket is not public


def test_public_gcs_images_are_fetched_anonymously(catalog: dp.Catalog, gcs_server: Any, unique: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from gcsfs.core import GCSFileSystem

    fs = GCSFileSystem(token="anon", endpoint_url=gcs_server.endpoint_url, skip_instance_cache=True)
    fs.mkdir(unique)
    for i in range(12):
        fs.pipe(f"{unique}/pics/{i}.png", image_bytes("PNG", (8, 8), "L", i * 20))
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_server.endpoint_url)
    project = catalog.project("p")
    urls = [f"gs://{unique}/pics/{i}.png" for i in range(12)]
    ds = project.datasets.import_file(csv_of_urls(tmp_path, urls), name="gcs").wait(timeout=60)
    options = ds.feature_options("photo")
    assert (options.transformation, tuple(options.size), options.color_mode) == ("none", (8, 8), "grayscale")
    array = ds.to_numpy("photo", max_parallel=3)
    assert array.shape == (12, 8, 8, 1)
    assert np.allclose(array[:, 0, 0, 0], [i * 20 / 255 for i in range(12)])


def test_gcs_images_through_a_gcp_connector(catalog: dp.Catalog, gcs_server: Any, unique: str) -> None:
    from gcsfs.core import GCSFileSystem

    fs = GCSFileSystem(token="anon", endpoint_url=gcs_server.endpoint_url, skip_instance_cache=True)
    fs.mkdir(unique)
    fs.pipe(f"{unique}/a.png", image_bytes("PNG", (8, 8)))
    project = catalog.project("p")
    project.connectors.create("gcs", kind="gcp", endpoint_url=gcs_server.endpoint_url, project="test")
    got = RemoteImages(project).fetch([f"gs://{unique}/a.png"])
    assert got.errors == {} and got.served_by == {f"gs://{unique}": "gcs"}


@pytest.fixture
def silent_server() -> Any:
    """A port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_each_image_has_a_time_out(catalog: dp.Catalog, silent_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", silent_server)
    got = RemoteImages(catalog.project("p"), timeout=1, max_parallel=2).fetch([f"gs://slow/{i}.png" for i in range(3)])
    assert sorted(got.errors) == [0, 1, 2]
    assert all(reason.endswith("no answer within 1 s") for reason in got.errors.values())
