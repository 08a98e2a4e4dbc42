"""Image and tensor features over REST (issue #17): feature options get/set/history, preview
thumbnails, tensor views, several .npy files uploaded as one dataset, image folder options."""

from __future__ import annotations

import asyncio

import numpy as np

from tests.archive_builders import image_bytes, make_zip, npy_bytes

from .rest import wait_ready


async def upload_photos(api, tmp_path) -> None:
    await api("POST", "projects", {"name": "p"})
    archive = make_zip(tmp_path / "photos.zip", {
        "index.csv": "id,photo\n1,a.png\n2,b.jpg\n3,\n",
        "a.png": image_bytes("PNG", (40, 20)), "b.jpg": image_bytes("JPEG", (30, 30)),
    })
    code, body = await api("POST", "projects/p/datasets/upload", raw=archive.read_bytes(), params={"filename": "photos.zip"})
    assert code == 202
    assert (await wait_ready(api, "p", "photos"))["status"] == "ready"


async def test_feature_options_get_set_history_and_refusals(api, tmp_path):
    await upload_photos(api, tmp_path)
    base = "projects/p/datasets/photos/columns/photo/feature-options"
    code, body = await api("GET", base)
    assert code == 200 and body["is_default"] and body["version"] == 0 and body["size"] == [40, 20]
    assert body["reasons"]["size"].startswith("the most common size")
    code, body = await api("PUT", base, {"transformation": "crop", "size": [224, 224], "color_mode": "rgb"})
    assert code == 200 and (body["version"], body["transformation"], body["shape_hwc"]) == (1, "crop", [224, 224, 3])
    code, body = await api("PUT", base, {"color_mode": "grayscale"})
    assert body["version"] == 2 and body["size"] == [224, 224]
    code, body = await api("GET", f"{base}/history")
    assert [v["version"] for v in body["versions"]] == [1, 2]
    code, body = await api("PUT", base, {"transformation": "zoom"})
    assert code == 422 and body["field"] == "transformation"
    code, body = await api("PUT", base, {"transformation": "none"})
    assert code == 422 and "2 sizes were found" in body["message"]
    code, body = await api("GET", "projects/p/datasets/photos/columns/id/feature-options")
    assert code == 422 and "apply to image columns" in body["message"]
    code, body = await api("GET", "projects/p/datasets/photos/columns/nope/feature-options")
    assert code == 404


async def test_preview_tries_options_without_saving(api, tmp_path):
    await upload_photos(api, tmp_path)
    code, body = await api("GET", "projects/p/datasets/photos/columns/photo/preview",
                           params={"rows": "3", "transformation": "pad", "size": "50x50", "color_mode": "rgba"})
    assert code == 200 and body["shape"] == [50, 50, 4] and len(body["items"]) == 3
    assert body["items"][0]["original"].startswith("data:image/") and body["items"][0]["transformed"]
    assert body["items"][2]["error"] == "no image (empty value)"
    code, body = await api("GET", "projects/p/datasets/photos/columns/photo/feature-options")
    assert body["is_default"]
    code, body = await api("GET", "projects/p/datasets/photos/columns/photo/preview", params={"rows": "99"})
    assert code == 422 and body["field"] == "rows"


async def test_several_npy_files_in_one_upload_and_tensor_views(api, tmp_path):
    await api("POST", "projects", {"name": "p"})
    a = npy_bytes(np.arange(4 * 5, dtype=np.float32).reshape(4, 5))
    b = npy_bytes(np.ones((4, 2, 2, 3), np.float32))
    code, body = await api("POST", "projects/p/datasets/upload-files", raw=a + b,
                           params=[("filename", "curve.npy"), ("size", str(len(a))), ("filename", "pics.npy"),
                                   ("size", str(len(b))), ("name", "both")])
    assert code == 202, body
    ready = await wait_ready(api, "p", "both")
    assert ready["status"] == "ready" and (ready["rows"], ready["columns"]) == (4, 2)
    code, view = await api("GET", "projects/p/datasets/both/columns/curve/tensor", params={"row": "1"})
    assert code == 200 and view["view"] == "line" and view["values"] == [5, 6, 7, 8, 9]
    assert view["mean"] == [7.5, 8.5, 9.5, 10.5, 11.5]
    code, view = await api("GET", "projects/p/datasets/both/columns/pics/tensor")
    assert view["view"] == "image" and view["image"].startswith("data:image/png")
    code, view = await api("GET", "projects/p/datasets/both/columns/pics/tensor", params={"index": "x"})
    assert code == 422 and view["field"] == "index"

    short = npy_bytes(np.ones((3, 5), np.float32))
    code, body = await api("POST", "projects/p/datasets/upload-files", raw=a + short,
                           params=[("filename", "a.npy"), ("size", str(len(a))), ("filename", "b.npy"), ("size", str(len(short)))])
    failed = await wait_ready(api, "p", body["id"])
    assert failed["status"] == "failed" and "a.npy: 4, b.npy: 3" in failed["error"]
    code, body = await api("POST", "projects/p/datasets/upload-files", raw=a,
                           params=[("filename", "a.npy"), ("size", "10")])
    assert code == 422 and body["field"] == "size"


async def test_image_folder_feature_options_and_preview(api, tmp_path):
    await api("POST", "projects", {"name": "p"})
    archive = make_zip(tmp_path / "pets.zip", {"cats/1.png": image_bytes("PNG", (16, 16)), "dogs/2.png": image_bytes("PNG", (16, 16))})
    code, body = await api("POST", "projects/p/image-folders/upload", raw=archive.read_bytes(), params={"filename": "pets.zip"})
    for _ in range(600):
        code, folder = await api("GET", "projects/p/image-folders/pets")
        if folder["status"] == "ready":
            break
        await asyncio.sleep(0.1)
    code, body = await api("GET", "projects/p/image-folders/pets/feature-options")
    assert body["transformation"] == "none" and body["size"] == [16, 16] and body["column"] == "image"
    code, body = await api("PUT", "projects/p/image-folders/pets/feature-options", {"transformation": "resize", "size": [8, 8]})
    assert code == 200 and body["version"] == 1
    code, body = await api("GET", "projects/p/image-folders/pets/preview", params={"rows": "2"})
    assert code == 200 and [i["row"] for i in body["items"]] == [0, 1] and body["shape"] == [8, 8, 3]
