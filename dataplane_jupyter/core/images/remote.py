"""gs:// and s3:// images fetched when used: through the project's connectors, else anonymously.

For each bucket, the project's connectors of the matching kind (`s3` for s3://, `gcp` for gs://;
or only the one named) are tried in name order on the bucket's first object; the first that can
read it serves the whole bucket. When none can (or the project has none), the bucket is read
anonymously, as public buckets allow (the endpoint is the library default, or what the usual
environment variables name: `AWS_ENDPOINT_URL`, `STORAGE_EMULATOR_HOST`).

Objects are fetched concurrently but never more than `max_parallel` at once, each within
`timeout` seconds; a failure is the reason for that image, never an exception for the batch.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import fsspec.asyn

from dataplane_jupyter.core.errors import NotFound

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.project import Project

KINDS = {"s3": "s3", "gs": "gcp"}
MAX_PARALLEL = 16
TIMEOUT = 30.0


@dataclass
class Fetched:
    """The bytes of each URL asked for, or why not."""

    data: list[bytes | None]
    errors: dict[int, str] = field(default_factory=dict)  # position → reason
    served_by: dict[str, str] = field(default_factory=dict)  # "s3://bucket" → connector name or "anonymous"


def split(url: str) -> tuple[str, str, str]:
    """("s3", "bucket", "bucket/key") of a bucket URL."""
    scheme, _, rest = url.partition("://")
    return scheme.lower(), rest.split("/", 1)[0], rest


class RemoteImages:
    """Fetches bucket URLs for one project; remembers which filesystem serves each bucket."""

    def __init__(self, project: "Project | None", *, connector: str | None = None,
                 max_parallel: int = MAX_PARALLEL, timeout: float = TIMEOUT) -> None:
        self.project = project
        self.connector = connector
        self.max_parallel = max(1, int(max_parallel))
        self.timeout = float(timeout)
        self._buckets: dict[tuple[str, str], tuple[Any, str]] = {}
        if connector is not None and project is not None:
            project.connectors[connector]  # NotFound now, not per image

    def fetch(self, urls: list[str | None]) -> Fetched:
        """Fetch every URL (None entries stay None without an error)."""
        result = Fetched([None] * len(urls))
        wanted = [(i, u) for i, u in enumerate(urls) if u]
        for i, url in wanted:
            scheme, bucket, _ = split(url)
            if scheme not in KINDS:
                result.errors[i] = f"{url}: only gs:// and s3:// URLs are fetched"
        wanted = [(i, u) for i, u in wanted if i not in result.errors]
        for scheme, bucket in {split(u)[:2] for _, u in wanted}:
            if (scheme, bucket) not in self._buckets:
                self._buckets[(scheme, bucket)] = self._resolve(scheme, bucket, next(u for _, u in wanted if split(u)[:2] == (scheme, bucket)))
        jobs = [(i, *self._buckets[split(u)[:2]][:1], split(u)[2], u) for i, u in wanted]
        outcomes = fsspec.asyn.sync(fsspec.asyn.get_loop(), self._fetch_all, [(fs, path) for _, fs, path, _ in jobs])
        for (i, _, _, url), outcome in zip(jobs, outcomes):
            if isinstance(outcome, BaseException):
                result.errors[i] = f"{url}: {reason(outcome, self.timeout)}"
            else:
                result.data[i] = outcome
        result.served_by = {f"{s}://{b}": who for (s, b), (_, who) in self._buckets.items()}
        return result

    async def _fetch_all(self, jobs: list[tuple[Any, str]]) -> list[Any]:
        gate = asyncio.Semaphore(self.max_parallel)

        async def one(fs: Any, path: str) -> bytes:
            async with gate:
                return await asyncio.wait_for(fs._cat_file(path), self.timeout)

        return await asyncio.gather(*(one(fs, path) for fs, path in jobs), return_exceptions=True)

    def _resolve(self, scheme: str, bucket: str, first: str) -> tuple[Any, str]:
        """The filesystem that can read `first`: a connector's, else an anonymous one."""
        for name, make in self._candidates(scheme):
            try:
                fs = make()
                fsspec.asyn.sync(fsspec.asyn.get_loop(), asyncio.wait_for, fs._info(split(first)[2]), self.timeout)
                return fs, name
            except Exception:  # noqa: BLE001 - this connector cannot read the bucket: try the next one
                continue
        return anonymous(scheme, self.timeout), "anonymous"

    def _candidates(self, scheme: str) -> list[tuple[str, Any]]:
        if self.project is None:
            return []
        kind = KINDS[scheme]
        if self.connector is not None:
            chosen = [self.project.connectors[self.connector]]
            if chosen[0].kind != kind:
                raise NotFound(f"Connector {self.connector!r} is {chosen[0].kind}, not {kind}: it cannot read {scheme}:// URLs.")
        else:
            chosen = sorted((c for c in self.project.connectors.list() if c.kind == kind), key=lambda c: c.name)
        return [(c.name, _maker(c, self.timeout)) for c in chosen]


def _maker(connector: Any, timeout: float) -> Any:
    def make() -> Any:
        return connector.filesystem(timeout=timeout)
    return make


def anonymous(scheme: str, timeout: float) -> Any:
    """A filesystem without credentials (public buckets)."""
    if scheme == "s3":
        import s3fs

        return s3fs.S3FileSystem(anon=True, skip_instance_cache=True, use_listings_cache=False,
                                 config_kwargs={"connect_timeout": timeout, "read_timeout": timeout,
                                                "retries": {"max_attempts": 2}})
    from gcsfs.core import GCSFileSystem

    return GCSFileSystem(token="anon", skip_instance_cache=True, use_listings_cache=False, requests_timeout=timeout)


def reason(error: BaseException, timeout: float) -> str:
    """A short, user-facing reason for a failed fetch."""
    if isinstance(error, (asyncio.TimeoutError, TimeoutError)):
        return f"no answer within {timeout:g} s"
    if isinstance(error, FileNotFoundError):
        return "no such object"
    if isinstance(error, PermissionError):
        return "access denied"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}"[:300] if text else type(error).__name__
