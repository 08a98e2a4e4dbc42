"""Image folders over REST: streamed zip upload, list, describe, rename, categories, images,
thumbnails, download, delete, and refusals."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from tests.archive_builders import image_bytes, make_zip

from .rest import IMPORT_ENDS, wait_status


async def wait_done(api, project: str, folder: str) -> dict:
    return await wait_status(api, f"projects/{project}/image-folders/{folder}", IMPORT_ENDS)


async def fetch_bytes(jp_fetch, route: str, **params: str):
    response = await jp_fetch("dataplane", "api", "v1", *route.split("/"), params=params or None)
    return response.headers["Content-Type"], response.body


async def test_upload_list_describe_rename_thumbnails_download_delete(api, jp_fetch, tmp_path, isolated_home):
    await api("POST", "projects", {"name": "p"})
    archive = make_zip(tmp_path / "pets.zip", {
        "cats/1.jpg": image_bytes("JPEG", (300, 200)),
        "dogs/1.png": image_bytes("PNG", (40, 40)),
        "notes.txt": b"hello",
    })
    code, body = await api("POST", "projects/p/image-folders/upload", raw=archive.read_bytes(), params={"filename": "pets.zip"})
    assert code == 202 and body["name"] == "pets" and body["status"] == "copying"
    ready = await wait_done(api, "p", body["id"])
    assert (ready["status"], ready["n_images"], ready["categories"]) == ("ready", 2, {"cats": 1, "dogs": 1})
    assert ready["summary"]["ignored"]["count"] == 1 and ready["warnings"]
    assert not list((isolated_home / "uploads").iterdir())

    code, listed = await api("GET", "projects/p/image-folders")
    assert [f["name"] for f in listed["image_folders"]] == ["pets"]
    code, renamed = await api("PATCH", "projects/p/image-folders/pets", {"name": "animals"})
    assert code == 200 and renamed["name"] == "animals"
    code, categories = await api("GET", "projects/p/image-folders/animals/categories")
    assert categories == {"categories": [{"name": "cats", "count": 1}, {"name": "dogs", "count": 1}]}
    code, images = await api("GET", "projects/p/image-folders/animals/images", params={"category": "cats"})
    assert images["total"] == 1 and images["images"][0]["path"] == "cats/1.jpg" and images["images"][0]["width"] == 300

    media_type, data = await fetch_bytes(jp_fetch, "projects/p/image-folders/animals/thumbnail", path="cats/1.jpg")
    assert media_type == "image/jpeg" and Image.open(io.BytesIO(data)).size == (128, 85)
    media_type, data = await fetch_bytes(jp_fetch, "projects/p/image-folders/animals/image", path="dogs/1.png")
    assert media_type == "image/png" and data == image_bytes("PNG", (40, 40))
    media_type, data = await fetch_bytes(jp_fetch, "projects/p/image-folders/animals/download")
    assert media_type == "application/zip"
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == ["cats/1.jpg", "dogs/1.png"]

    code, body = await api("GET", "projects/p/image-folders/animals/thumbnail", params={"path": "../../etc/passwd"})
    assert code == 422
    code, body = await api("GET", "projects/p/image-folders/animals/thumbnail", params={"path": "cats/9.jpg"})
    assert code == 404
    assert (await api("DELETE", "projects/p/image-folders/animals"))[0] == 204
    assert (await api("GET", "projects/p/image-folders/animals"))[0] == 404


async def test_upload_refusals(api, tmp_path, isolated_home):
    await api("POST", "projects", {"name": "p"})
    code, body = await api("POST", "projects/p/image-folders/upload", raw=b"PK")
    assert code == 422 and body["field"] == "filename"
    evil = make_zip(tmp_path / "evil.zip", {"ok/1.png": image_bytes(), "../../escape.png": image_bytes()})
    code, body = await api("POST", "projects/p/image-folders/upload", raw=evil.read_bytes(), params={"filename": "evil.zip"})
    assert code == 202
    failed = await wait_done(api, "p", body["id"])
    assert failed["status"] == "failed" and "outside the archive folder" in failed["error"]
    assert (await api("GET", f"projects/p/image-folders/{body['id']}/categories"))[1] == {"categories": []}
    code, body = await api("GET", f"projects/p/image-folders/{body['id']}/images")
    assert code == 409
    code, body = await api("POST", "projects/p/image-folders/upload", raw=evil.read_bytes(), params={"filename": "evil.zip"})
    assert code == 409 and body["field"] == "name"  # the failed one keeps its name until deleted
    assert not list((isolated_home / "uploads").iterdir())
    assert not list(isolated_home.rglob("escape.png"))
