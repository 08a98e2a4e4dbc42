"""`dataplane datasets embeddings compute|show`, `datasets neighbors`, `datasets save-selection`.

    dataplane datasets embeddings compute sales --method pca --wait
    dataplane datasets neighbors sales 12 -k 5
    dataplane datasets save-selection sales --rows 1,5,9 --as picked
"""

from __future__ import annotations

import argparse

from ..core.embeddings.embeddings import METHODS, save_selection, start_embeddings
from ..core.embeddings.views import neighbor_records
from ..core.errors import InvalidInput
from .common import project
from .jobs import follow_job
from .output import Output
from .parser import Verb, add_verbs, arg, verbs

SHOWN = ["status", "method", "requested_method", "rows", "sample_size", "sampled", "seed", "computed_at", "error"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the embeddings verbs to the `datasets` noun."""
    add_verbs(verbs(sub, "embeddings", "a 3-D map of the rows: compute it, show how it was made"), [
        Verb("compute", compute_embeddings, "compute the embeddings (a job)", [
            "name",
            arg("--sample-size", type=int, default=50_000, help="embed at most this many rows (default 50000)"),
            arg("--seed", type=int, default=0, help="seed of the sample and the projection (default 0)"),
            arg("--method", default="auto", help=f"projection to 3-D: {', '.join(METHODS)} (default auto)"),
            arg("--wait", action="store_true", help="follow the job; exit 1 unless it succeeds"),
        ]),
        Verb("show", show_embeddings, "status, method and sample of the embeddings"),
    ])
    add_verbs(sub, [
        Verb("neighbors", show_neighbors, "the rows nearest to a row in the embeddings",
             ["name", arg("row", type=int), arg("-k", type=int, default=5, help="how many (default 5)")]),
        Verb("save-selection", save_rows, "save rows as a new dataset", [
            "name",
            arg("--rows", required=True, help="row numbers separated by commas: 1,5,9"),
            arg("--as", dest="new_name", required=True, help="name of the new dataset"),
            arg("--wait", action="store_true", help="follow its statistics until it is ready"),
        ]),
    ])


def compute_embeddings(args: argparse.Namespace, out: Output) -> None:
    ds = project(args).datasets[args.name]
    handle = start_embeddings(ds, sample_size=args.sample_size, seed=args.seed, method=args.method)
    if not args.wait:
        out.result(handle.info.to_dict())
        return
    follow_job(ds.catalog.jobs, handle.id, out)
    handle.wait()  # JobFailed (exit 1, with the reason) unless it succeeded
    out.result(ds.info.embeddings)


def show_embeddings(args: argparse.Namespace, out: Output) -> None:
    record = project(args).datasets[args.name].info.embeddings
    if out.json_mode:
        out.result(record)
    elif record is None:
        out.result({"status": "not computed"})
    else:
        out.result({key: record.get(key) for key in SHOWN})


def show_neighbors(args: argparse.Namespace, out: Output) -> None:
    found = neighbor_records(project(args).datasets[args.name], args.row, args.k)
    if out.json_mode:
        out.result({"row": args.row, "neighbors": found})
        return
    table = [{"row": n["row"], "distance": n["distance"], **n["values"]} for n in found]
    out.result(table, table=["row", "distance", *(found[0]["values"] if found else [])])


def save_rows(args: argparse.Namespace, out: Output) -> None:
    from .datasets import follow_import

    created = save_selection(project(args).datasets[args.name], parse_rows(args.rows), args.new_name)
    if args.wait:
        follow_import(created, out)
    out.result(created.info)


def parse_rows(text: str) -> list[int]:
    """`1,5,9` → [1, 5, 9]; InvalidInput naming the part that is not a row number."""
    rows: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            rows.append(int(part))
        except ValueError:
            raise InvalidInput(f"--rows: {part!r} is not a row number (give them as 1,5,9).", field="rows") from None
    return rows
