"""Record names: the one rule every named record (project, dataset, connector, ...) follows."""

from __future__ import annotations

import re

from dataplane_jupyter.core.errors import InvalidInput

NAME_PATTERN = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")


def check_name(name: str, what: str) -> str:
    """A usable record name: non-blank, at most 200 characters, no slashes or control codes."""
    if not isinstance(name, str) or not name.strip() or not NAME_PATTERN.match(name):
        raise InvalidInput(
            f"{what} name {name!r} is not valid: use 1–200 characters, no slash or control character.",
            field="name",
        )
    return name.strip()
