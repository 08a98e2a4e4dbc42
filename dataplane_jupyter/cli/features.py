"""`dataplane datasets features|import-files` and `dataplane image-folders features`.

    dataplane datasets features photos --column photo                       # show the options (defaults say so)
    dataplane datasets features photos --column photo --transformation crop --size 224x224 --color rgb
    dataplane datasets features photos --column photo --history             # every version
    dataplane datasets import-files pixels.npy labels.npy --name train --wait
    dataplane image-folders features pets --transformation pad --size 128x128 --fill "#ffffff"
"""

from __future__ import annotations

import argparse
from typing import Any

from .common import project
from .output import Output
from .parser import Verb, add_verbs, arg

SHOWN = ["version", "transformation", "size", "color_mode", "fill", "shape_hwc", "is_default", "set_at", "set_by"]


def option_args() -> list[Any]:
    return [
        arg("--transformation", choices=["resize", "crop", "pad", "none"],
            help="resize (stretch), crop (centre), pad (letterbox) or none (every image already one size)"),
        arg("--size", help="WIDTHxHEIGHT, e.g. 224x224"),
        arg("--color", "--color-mode", dest="color_mode", choices=["grayscale", "rgb", "rgba"], help="channels: 1, 3 or 4"),
        arg("--fill", help="pad colour, e.g. '#000000'"),
        arg("--history", action="store_true", help="list every version instead"),
    ]


def register_datasets(sub: argparse._SubParsersAction) -> None:
    """Add the feature verbs to the `datasets` noun."""
    add_verbs(sub, [
        Verb("features", dataset_features, "show or set the feature options of an image column",
             ["name", arg("--column", required=True, help="the image column"), *option_args()]),
        Verb("import-files", import_files, "import several .npy files as one dataset (a tensor column per file)", [
            arg("files", nargs="+", help=".npy files with the same first dimension"), arg("--name"),
            arg("--wait", action="store_true", help="follow the import until it is ready"),
        ]),
    ])


def register_folders(sub: argparse._SubParsersAction) -> None:
    """Add the feature verb to the `image-folders` noun."""
    add_verbs(sub, [Verb("features", folder_features, "show or set the feature options of the folder's images",
                         ["name", *option_args()])])


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    return {k: getattr(args, k) for k in ("transformation", "size", "color_mode", "fill") if getattr(args, k) is not None}


def _show(found: Any, out: Output) -> None:
    if out.json_mode:
        out.result(found)
        return
    data = found.model_dump(mode="json")
    for key in SHOWN:
        print(f"{key}: {data.get(key)}")
    if data["is_default"]:
        print("defaults chosen from the column's statistics:")
        for key, why in data["reasons"].items():
            print(f"  {key}: {why}")


def _run(column: Any, args: argparse.Namespace, out: Output) -> None:
    changes = _changes(args)
    if args.history:
        out.result(column.history(), table=SHOWN)
    elif changes:
        _show(column.set_options(**changes), out)
    else:
        _show(column.options(), out)


def dataset_features(args: argparse.Namespace, out: Output) -> None:
    from ..core.images.columns import DatasetColumn

    ds = project(args).datasets[args.name]
    ds.require_data()
    _run(DatasetColumn(ds, args.column), args, out)


def folder_features(args: argparse.Namespace, out: Output) -> None:
    from ..core.images.columns import FolderColumn

    _run(FolderColumn(project(args).image_folders[args.name]), args, out)


def import_files(args: argparse.Namespace, out: Output) -> None:
    from .datasets import follow_import

    ds = project(args).datasets.import_files(args.files, args.name)
    if args.wait:
        follow_import(ds, out)
    out.result(ds.info)
