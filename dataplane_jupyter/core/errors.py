"""Domain errors raised by the core.

Every shell (REST, CLI, widgets, magics) turns these into its own kind of message in exactly
one place; the core never knows about HTTP statuses or exit codes.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable


class DataplaneError(Exception):
    """Base class: a problem the user can understand and act on."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


#: Import options a message may suggest, in their Python spelling (`import_file` keywords).
HINT_OPTIONS = ("separator", "decimal", "encoding", "quotechar", "header", "escapechar", "skip_lines",
                "header_rows", "on_bad_rows")


def option_hint(option: str, value: str | int | bool) -> str:
    """A suggested option as the core words it in messages: the Python keyword form
    (`separator=";"`, `header=False`, `skip_lines=2`). It is the one form the shells look for
    (:func:`find_hints`) and reword for their users (`--separator ";"` in the CLI, the form
    field's label in the sidebar)."""
    if option not in HINT_OPTIONS:
        raise ValueError(f"not an import option: {option}")
    if isinstance(value, bool) or isinstance(value, int):
        return f"{option}={value!r}"
    return f"{option}={json.dumps(value, ensure_ascii=False)}"


_HINT = re.compile(r"\b(" + "|".join(HINT_OPTIONS) + r')=("(?:[^"\\]|\\.)*"|True|False|\d+)')


def find_hints(message: str) -> list[dict[str, Any]]:
    """The options a message suggests: `{"option", "value", "text"}` each, where `text` is
    the exact span of the message (the Python form) that a shell rewords."""
    found = []
    for match in _HINT.finditer(message):
        raw = match.group(2)
        value: Any = json.loads(raw) if raw.startswith('"') else raw == "True" if raw in ("True", "False") \
            else int(raw)
        found.append({"option": match.group(1), "value": value, "text": match.group(0)})
    return found


def cli_hint(option: str, value: Any) -> str:
    """The CLI wording of a suggested option (`--separator ";"`, `--header no`)."""
    flag = "--" + option.replace("_", "-")
    if isinstance(value, bool):
        return f"{flag} {'yes' if value else 'no'}"
    if isinstance(value, int):
        return f"{flag} {value}"
    return f"{flag} {json.dumps(value, ensure_ascii=False)}"


def reword_hints(message: str, word: Callable[[str, Any], str]) -> str:
    """``message`` with every suggested option reworded by ``word(option, value)``."""
    for hint in find_hints(message):
        message = message.replace(hint["text"], word(hint["option"], hint["value"]), 1)
    return message


class NotFound(DataplaneError):
    """The named project, dataset, connector, job... does not exist."""


class PermissionDenied(DataplaneError):
    """The user may see the project but their role does not allow this; the message names the
    role needed."""


class AlreadyExists(DataplaneError):
    """A name is already taken in its project."""


class InvalidInput(DataplaneError):
    """A field or file the user gave is wrong; `field` names it when it is a field."""


class InvalidChoice(InvalidInput, ValueError):
    """A value outside a fixed set (a status, an origin); also a ValueError, as enums raise."""


class InvalidState(DataplaneError):
    """The thing exists but cannot do that now (e.g. a dataset that is not ready, a finished job)."""


class InUse(InvalidState):
    """Deleting this would break other records that point at it."""


class UpstreamError(DataplaneError):
    """A remote system (database, bucket, server) refused or failed."""


class ImportFailed(DataplaneError):
    """An import ended in `failed`; the message is the dataset's error."""


class JobFailed(DataplaneError):
    """A job ended in `failed` or `cancelled`; the message is the job's error."""
