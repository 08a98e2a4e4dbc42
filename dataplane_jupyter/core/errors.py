"""Domain errors raised by the core.

Every shell (REST, CLI, widgets, magics) turns these into its own kind of message in exactly
one place; the core never knows about HTTP statuses or exit codes.
"""

from __future__ import annotations


class DataplaneError(Exception):
    """Base class: a problem the user can understand and act on."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


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
