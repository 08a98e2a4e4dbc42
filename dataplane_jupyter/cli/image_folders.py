"""`dataplane image-folders import|list|show|rename|download|delete`."""

from __future__ import annotations

import argparse

from ..core.images.folders import ImageFolder
from ..core.images.models import ImageFolderStatus
from . import features
from .common import delete_record, project, show_record
from .output import Output
from .parser import Verb, add_verbs, arg, verbs

TABLE = ["name", "status", "n_images", "size_bytes", "created_at"]


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `image-folders` noun."""
    sub = verbs(nouns, "image-folders", "image folders: stored trees of jpg/png/gif images")
    features.register_folders(sub)
    add_verbs(sub, [
        Verb("list", list_folders, "list image folders, newest first", [arg("--search", help="part of the name")]),
        Verb("import", import_folder, "create an image folder from a zip (path or fsspec URL)", [
            "file", arg("--name"), arg("--wait", action="store_true", help="follow the import until it is ready"),
        ]),
        Verb("show", show_record("image_folders"), "one image folder, with its categories"),
        Verb("delete", delete_record("image_folders"), "delete it and its stored images"),
        Verb("rename", rename_folder, "give it a new name", ["name", "new_name"]),
        Verb("download", download_folder, "write its images to a zip file", ["name", "path"]),
    ])


def list_folders(args: argparse.Namespace, out: Output) -> None:
    out.result([f.describe() for f in project(args).image_folders.list(search=args.search)], table=TABLE)


def follow_folder_import(folder: ImageFolder, out: Output) -> None:
    """Show the copy's progress until the folder is ready or failed."""

    def read() -> tuple[str, float, str, bool]:
        info = folder.info
        job = folder.job
        return info.status_label, info.progress, job.message if job else "", info.status is not ImageFolderStatus.COPYING

    out.follow(read, folder.catalog.jobs)
    folder.wait()


def import_folder(args: argparse.Namespace, out: Output) -> None:
    folder = project(args, create=True).image_folders.import_zip(args.file, args.name)
    if args.wait:
        follow_folder_import(folder, out)
    out.result(folder.info)



def rename_folder(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).image_folders[args.name].rename(args.new_name).info)


def download_folder(args: argparse.Namespace, out: Output) -> None:
    path = project(args).image_folders[args.name].download(args.path)
    out.result({"path": str(path)})
