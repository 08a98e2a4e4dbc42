"""`dataplane connectors ...` and `dataplane datasources ...`.

Fields are given as `key=value` pairs; a secret field given as `key=-` is read from standard
input instead, so it stays out of the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from ..core.connectors import get_kind
from ..core.errors import InvalidInput
from .common import project
from .datasets import follow_import
from .output import Output


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `connectors` and `datasources` nouns."""
    from .parser import verbs

    sub = verbs(nouns, "connectors", "credentials + address of databases and file stores")
    sub.add_parser("list", help="list connectors").set_defaults(run=list_connectors)
    create = sub.add_parser("create", help="create a connector: NAME KIND key=value ...")
    create.add_argument("name")
    create.add_argument("kind", help="sql, ftp, sftp, s3 or gcp")
    create.add_argument("fields", nargs="*", metavar="key=value")
    create.set_defaults(run=create_connector)
    edit = sub.add_parser("edit", help="change fields: NAME key=value ... (secrets not given are kept)")
    edit.add_argument("name")
    edit.add_argument("fields", nargs="*", metavar="key=value")
    edit.add_argument("--rename")
    edit.set_defaults(run=edit_connector)
    for verb, run, text in (
        ("show", show_connector, "one connector (secrets hidden)"),
        ("test", test_connector, "connect and log in"),
        ("delete", delete_connector, "delete it (refused while in use)"),
    ):
        parser = sub.add_parser(verb, help=text)
        parser.add_argument("name")
        parser.set_defaults(run=run)

    sub = verbs(nouns, "datasources", "a table, query or file behind a connector")
    sub.add_parser("list", help="list datasources").set_defaults(run=list_datasources)
    create = sub.add_parser("create", help="create a datasource: NAME CONNECTOR key=value ...")
    create.add_argument("name")
    create.add_argument("connector")
    create.add_argument("locator", nargs="*", metavar="key=value", help="table=, database=, query=, path=, bucket=, dataset=")
    create.set_defaults(run=create_datasource)
    for verb, run, text in (
        ("show", show_datasource, "one datasource"),
        ("test", test_datasource, "schema and first rows"),
        ("delete", delete_datasource, "forget it (imported datasets stay)"),
    ):
        parser = sub.add_parser(verb, help=text)
        parser.add_argument("name")
        parser.set_defaults(run=run)
    imp = sub.add_parser("import", help="import it as a new dataset")
    imp.add_argument("name")
    imp.add_argument("--as", dest="dataset", help="dataset name")
    imp.add_argument("--wait", action="store_true")
    imp.set_defaults(run=import_datasource)


def parse_pairs(pairs: list[str], kind: str | None = None) -> dict[str, Any]:
    """`key=value` pairs; `key=-` for a secret field prompts (or reads one line of stdin)."""
    secret_names = {f.name for f in get_kind(kind).fields if f.secret} if kind else set()
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidInput(f"Expected key=value, got {pair!r}.", field=pair)
        if value == "-" and key in secret_names:
            value = getpass.getpass(f"{key}: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        values[key] = value
    return values


def list_connectors(args: argparse.Namespace, out: Output) -> None:
    out.result([c.info for c in project(args).connectors.list()], table=["name", "kind", "config", "secrets_set"])


def create_connector(args: argparse.Namespace, out: Output) -> None:
    fields = parse_pairs(args.fields, args.kind)
    out.result(project(args).connectors.create(args.name, args.kind, **fields).info)


def edit_connector(args: argparse.Namespace, out: Output) -> None:
    connector = project(args).connectors[args.name]
    out.result(connector.update(name=args.rename, **parse_pairs(args.fields, connector.kind)).info)


def show_connector(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).connectors[args.name].info)


def test_connector(args: argparse.Namespace, out: Output) -> int:
    result = project(args).connectors[args.name].test()
    out.result(result)
    return 0 if result.ok else 1


def delete_connector(args: argparse.Namespace, out: Output) -> None:
    project(args).connectors[args.name].delete()
    out.result({"deleted": args.name})


def list_datasources(args: argparse.Namespace, out: Output) -> None:
    out.result([d.info for d in project(args).datasources.list()], table=["name", "connector", "kind", "locator"])


def create_datasource(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).datasources.create(args.name, args.connector, **parse_pairs(args.locator)).info)


def show_datasource(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).datasources[args.name].info)


def test_datasource(args: argparse.Namespace, out: Output) -> int:
    result = project(args).datasources[args.name].test()
    out.result(result)
    return 0 if result.ok else 1


def delete_datasource(args: argparse.Namespace, out: Output) -> None:
    project(args).datasources[args.name].delete()
    out.result({"deleted": args.name})


def import_datasource(args: argparse.Namespace, out: Output) -> None:
    ds = project(args).datasets.import_datasource(args.name, args.dataset)
    if args.wait:
        follow_import(ds, out)
    out.result(ds.info)
