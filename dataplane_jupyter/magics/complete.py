"""Tab completion for `%dataplane` (nouns, verbs, record names) and `%%dataplane sql` (connectors)."""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from ..core.catalog.catalog import Catalog

NAMES_BY_NOUN = {"datasets": "datasets", "connectors": "connectors", "datasources": "datasources"}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _option(words: list[str], *names: str) -> str | None:
    for index, word in enumerate(words[:-1]):
        if word in names:
            return words[index + 1]
    return None


def _record_names(words: list[str], collection: str, *, kind: str | None = None) -> list[str]:
    try:
        project = Catalog(_option(words, "--home")).project(_option(words, "--project", "-p") or "default",
                                                             create=False)
        records = getattr(project, collection).list()
    except Exception:  # noqa: BLE001 - completion never raises
        return []
    return [r.name for r in records if kind is None or getattr(r, "kind", None) == kind]


def complete_dataplane(_: Any, event: Any) -> list[str]:
    """IPython `complete_command` hook for lines starting with %dataplane or %%dataplane."""
    try:
        words = shlex.split(event.text_until_cursor)
    except ValueError:
        return []
    if event.text_until_cursor.endswith(" "):
        words.append("")
    if not words:
        return []
    magic, args = words[0], words[1:]
    positional = [w for i, w in enumerate(args) if not w.startswith("-")
                  and not (i and args[i - 1] in ("--project", "-p", "--home", "--save-as", "--limit"))]
    if magic.startswith("%%"):
        if len(positional) <= 1:
            return ["sql"]
        if positional[0] == "sql" and len(positional) == 2:
            return _record_names(args, "connectors", kind="sql")
        return []
    from ..cli.parser import build_parser

    nouns = _subcommands(build_parser())
    if len(positional) <= 1:
        return sorted(nouns)
    noun = nouns.get(positional[0])
    if noun is None:
        return []
    if len(positional) == 2:
        return sorted(_subcommands(noun))
    if positional[0] in NAMES_BY_NOUN:
        return _record_names(args, NAMES_BY_NOUN[positional[0]])
    return []
