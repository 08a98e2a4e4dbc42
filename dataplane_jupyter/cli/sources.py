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
from .common import delete_record, project, show_record, test_record
from .datasets import follow_import
from .output import Output
from .parser import Verb, add_verbs, arg, verbs


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `connectors` and `datasources` nouns."""
    add_verbs(verbs(nouns, "connectors", "credentials + address of databases and file stores"), [
        Verb("list", list_connectors, "list connectors", []),
        Verb("create", create_connector, "create a connector: NAME KIND key=value ...", [
            "name", arg("kind", help="sql, ftp, sftp, s3 or gcp"), arg("fields", nargs="*", metavar="key=value"),
        ]),
        Verb("edit", edit_connector, "change fields: NAME key=value ... (secrets not given are kept)",
             ["name", arg("fields", nargs="*", metavar="key=value"), arg("--rename")]),
        Verb("show", show_record("connectors"), "one connector (secrets hidden)"),
        Verb("test", test_record("connectors"), "connect and log in"),
        Verb("delete", delete_record("connectors"), "delete it (refused while in use)"),
    ])
    add_verbs(verbs(nouns, "datasources", "a table, query or file behind a connector"), [
        Verb("list", list_datasources, "list datasources", []),
        Verb("create", create_datasource, "create a datasource: NAME CONNECTOR key=value ...", [
            "name", "connector",
            arg("locator", nargs="*", metavar="key=value", help="table=, database=, query=, path=, bucket=, dataset="),
        ]),
        Verb("show", show_record("datasources"), "one datasource"),
        Verb("test", test_record("datasources"), "schema and first rows"),
        Verb("delete", delete_record("datasources"), "forget it (imported datasets stay)"),
        Verb("import", import_datasource, "import it as a new dataset",
             ["name", arg("--as", dest="dataset", help="dataset name"), arg("--wait", action="store_true")]),
    ])


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
    out.result(project(args, create=True).connectors.create(args.name, args.kind, **fields).info)


def edit_connector(args: argparse.Namespace, out: Output) -> None:
    connector = project(args).connectors[args.name]
    out.result(connector.update(name=args.rename, **parse_pairs(args.fields, connector.kind)).info)





def list_datasources(args: argparse.Namespace, out: Output) -> None:
    out.result([d.info for d in project(args).datasources.list()], table=["name", "connector", "kind", "locator"])


def create_datasource(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args, create=True).datasources.create(args.name, args.connector, **parse_pairs(args.locator)).info)





def import_datasource(args: argparse.Namespace, out: Output) -> None:
    ds = project(args, create=True).datasets.import_datasource(args.name, args.dataset)
    if args.wait:
        follow_import(ds, out)
    out.result(ds.info)
