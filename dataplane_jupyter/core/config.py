"""Where the catalog, storage and workers live: plain values, read once from the environment."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from typing_extensions import Unpack

EXECUTORS = ("process", "thread", "dask")
ACCESS_MODES = ("open", "members")


def default_user() -> str:
    """Who works from this process: `DATAPLANE_USER`, else the JupyterHub user, else the login
    name ("" if none is known)."""
    try:
        return os.environ.get("DATAPLANE_USER") or os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is no reason to refuse work
        return ""


class SettingsOverrides(TypedDict, total=False):
    """The settings a caller may give instead of the `DATAPLANE_*` variables (None: not given);
    `Settings.from_env` and `Catalog(...)` take them as keyword arguments."""

    catalog_url: str | None
    storage_url: str | None
    executor: str | None
    dask_address: str | None
    user: str | None
    access: str | None


@dataclass(frozen=True)
class Settings:
    """Locations and policies of one catalog.

    `home` holds the embedded defaults (SQLite catalog, local storage, key file, job logs).
    `catalog_url` is any SQLAlchemy URL (PostgreSQL to share a catalog between machines).
    `storage_url` is any fsspec URL; dataset files live below it.
    `executor` runs jobs in detached worker processes (`process`, the default: a job outlives
    the kernel or browser tab that asked for it), in threads of the caller (`thread`), or on a
    Dask distributed cluster at `dask_address` (`dask`: the workers must reach the same catalog
    and storage, e.g. PostgreSQL and an object store).
    `user` is who creates records and starts jobs (`DATAPLANE_USER`, default the OS user).
    `access` is `open` (the default: everyone who opens the catalog sees everything) or
    `members` (`DATAPLANE_ACCESS=members`: a user sees only the projects they are a member of,
    and may do there what their role allows; see core/catalog/access.py).
    """

    home: Path
    catalog_url: str
    storage_url: str
    executor: str = "process"
    dask_address: str | None = None
    user: str = ""
    access: str = "open"

    @classmethod
    def from_env(
        cls,
        home: str | os.PathLike[str] | None = None,
        **overrides: Unpack[SettingsOverrides],
    ) -> "Settings":
        """Settings from arguments, then `DATAPLANE_*` variables, then defaults under the home."""
        if unknown := sorted(set(overrides) - SettingsOverrides.__optional_keys__):
            raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
        catalog_url, storage_url = overrides.get("catalog_url"), overrides.get("storage_url")
        executor, dask_address = overrides.get("executor"), overrides.get("dask_address")
        user, access = overrides.get("user"), overrides.get("access")
        root = Path(home or os.environ.get("DATAPLANE_HOME") or Path.home() / ".dataplane")
        root = root.expanduser().absolute()
        settings = cls(
            home=root,
            catalog_url=catalog_url
            or os.environ.get("DATAPLANE_CATALOG_URL")
            or f"sqlite:///{root / 'catalog.db'}",
            storage_url=storage_url
            or os.environ.get("DATAPLANE_STORAGE_URL")
            or (root / "storage").as_uri(),
            executor=executor or os.environ.get("DATAPLANE_EXECUTOR") or "process",
            dask_address=dask_address or os.environ.get("DATAPLANE_DASK_ADDRESS"),
            user=(user if user is not None else default_user()).strip(),
            access=(access or os.environ.get("DATAPLANE_ACCESS") or "open").strip().lower(),
        )
        if settings.access not in ACCESS_MODES:
            raise ValueError(f"DATAPLANE_ACCESS must be one of {ACCESS_MODES}, not {settings.access!r}")
        if settings.executor not in EXECUTORS:
            raise ValueError(f"DATAPLANE_EXECUTOR must be one of {EXECUTORS}, not {settings.executor!r}")
        if settings.executor == "dask" and not settings.dask_address:
            raise ValueError("DATAPLANE_EXECUTOR=dask needs DATAPLANE_DASK_ADDRESS (the scheduler address)")
        return settings

    def as_env(self) -> dict[str, str]:
        """The variables that make another process open this same catalog."""
        env = {
            "DATAPLANE_HOME": str(self.home),
            "DATAPLANE_CATALOG_URL": self.catalog_url,
            "DATAPLANE_STORAGE_URL": self.storage_url,
            "DATAPLANE_EXECUTOR": self.executor,
            "DATAPLANE_USER": self.user,
            "DATAPLANE_ACCESS": self.access,
        }
        if self.dask_address:
            env["DATAPLANE_DASK_ADDRESS"] = self.dask_address
        return env

    def as_user(self, user: str) -> "Settings":
        """A copy for another user."""
        return replace(self, user=user)

    def with_executor(self, executor: str) -> "Settings":
        """A copy that runs jobs with another executor."""
        return replace(self, executor=executor)
