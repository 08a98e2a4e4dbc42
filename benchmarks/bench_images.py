"""Benchmark: images/s of `ds.to_numpy("photo")` against a plain Pillow loop a notebook user would write.

A dataset of N JPEG images (made here with Pillow and numpy, seeded; nothing is downloaded) is
imported into a fresh catalog as a zip with an index.csv. Then, on the same stored files:

- dataplane: `ds.to_numpy("photo")` with the column's feature options (threads: one per core);
- dataplane, 1 thread: the same with `threads=1` (what the parallel decode brings);
- Pillow loop: `for path in paths: np.asarray(Image.open(path).convert("RGB"))` (+ `ImageOps.fit`
  when the images must be cropped) into a preallocated float32 array, divided by 255.

Two cases: 224×224 JPEGs with options none/224×224/rgb (decode only), and 640×480 JPEGs with
crop/224×224/rgb. Each timing is the best of `--repeat` runs (the tools take turns) on a warm page cache. Usage::

    .venv/bin/python benchmarks/bench_images.py               # 5,000 images per case
    .venv/bin/python benchmarks/bench_images.py --images 1000 --repeat 1
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps


def make_zip(path: Path, count: int, size: tuple[int, int], seed: int = 0) -> None:
    """`count` JPEGs (smooth gradients plus noise, quality 90) and an index.csv naming them."""
    rng = np.random.default_rng(seed)
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        lines = ["id,photo"]
        for i in range(count):
            base = rng.integers(0, 255, 3)
            image = (base + 0.3 * x[..., None] + 0.2 * y[..., None] + rng.normal(0, 12, (height, width, 3))) % 256
            out = io.BytesIO()
            Image.fromarray(image.astype(np.uint8), "RGB").save(out, "JPEG", quality=90)
            archive.writestr(f"img/{i:05d}.jpg", out.getvalue())
            lines.append(f"{i},img/{i:05d}.jpg")
        archive.writestr("index.csv", "\n".join(lines) + "\n")


def pillow_loop(paths: list[str], crop: tuple[int, int] | None) -> np.ndarray:
    side = crop or (224, 224)
    out = np.empty((len(paths), side[1], side[0], 3), np.float32)
    for i, path in enumerate(paths):
        image = Image.open(path).convert("RGB")
        if crop:
            image = ImageOps.fit(image, crop, Image.Resampling.BILINEAR)
        out[i] = np.asarray(image, dtype=np.float32) / 255
    return out


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def run_case(catalog, scratch: Path, count: int, size: tuple[int, int], options: dict, repeat: int) -> list[tuple[str, float]]:
    archive = scratch / f"photos_{size[0]}x{size[1]}.zip"
    make_zip(archive, count, size)
    ds = catalog.project("bench").datasets.import_file(archive, name=archive.stem).wait(timeout=3600)
    ds.set_feature_options("photo", **options)
    folder = catalog.storage.path(ds._folder)
    paths = [f"{folder}/{p}" for p in ds.to_arrow().column("photo").to_pylist()]
    for path in paths:  # warm the page cache for everyone
        Path(path).read_bytes()
    crop = tuple(options["size"]) if options["transformation"] == "crop" else None
    times: dict[str, list[float]] = {"dp": [], "one": [], "pil": []}
    ours = theirs = None
    for _ in range(repeat):  # interleaved, so that a change of load hits every tool alike
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no image may be filled with zeros here
            seconds, ours = best(lambda: ds.to_numpy("photo"), 1)
            times["dp"].append(seconds)
            times["one"].append(best(lambda: ds.to_numpy("photo", threads=1), 1)[0])
        seconds, theirs = best(lambda: pillow_loop(paths, crop), 1)
        times["pil"].append(seconds)
    t_dp, t_one, t_pil = min(times["dp"]), min(times["one"]), min(times["pil"])
    assert ours.shape == theirs.shape == (count, 224, 224, 3) and ours.dtype == np.float32
    if crop is None:
        assert np.array_equal(ours, theirs)
    return [("dataplane to_numpy (threads: one per core)", t_dp), ("dataplane to_numpy, threads=1", t_one),
            ("plain Pillow loop", t_pil)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from dataplane_jupyter import Catalog

    print(f"cores usable: {len(os.sched_getaffinity(0))}, load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="dp-bench-images-") as scratch:
        catalog = Catalog(Path(scratch) / "home", executor="thread")
        cases = [
            ("224×224 JPEG → none 224×224 rgb", (224, 224), {"transformation": "none", "size": (224, 224), "color_mode": "rgb"}),
            ("640×480 JPEG → crop 224×224 rgb", (640, 480), {"transformation": "crop", "size": (224, 224), "color_mode": "rgb"}),
        ]
        print("| case | images | tool | seconds | images/s | speed vs Pillow loop |")
        print("|---|---|---|---|---|---|")
        for label, size, options in cases:
            rows = run_case(catalog, Path(scratch), args.images, size, options, args.repeat)
            pillow = dict(rows)["plain Pillow loop"]
            for tool, seconds in rows:
                print(f"| {label} | {args.images:,} | {tool} | {seconds:.2f} | {args.images / seconds:,.0f} | {pillow / seconds:.2f}x |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
