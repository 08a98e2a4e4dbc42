"""The team deployment of docs/deployment.md, on 127.0.0.1: a PostgreSQL catalog, a bucket on the
S3 test server and a Dask cluster with two worker processes.

The settings are the ones the guide gives a team: ``DATAPLANE_CATALOG_URL``,
``DATAPLANE_STORAGE_URL=s3://bucket/prefix`` with the standard ``AWS_*`` variables (key, secret,
region, ``AWS_ENDPOINT_URL`` for an S3-compatible server), ``DATAPLANE_EXECUTOR=dask`` and
``DATAPLANE_DASK_ADDRESS``. Each test gets its own database and prefix (:meth:`Team.settings`).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.servers import postgres, s3
from tests.servers._process import REPO

BUCKET = "dataplane-team"


@dataclass
class Team:
    """The running servers; `stop()` ends them (cluster first: its workers hold connections)."""

    pg: postgres.PostgresServer
    s3: s3.S3Server
    cluster: Any  # distributed.LocalCluster
    saved_env: dict[str, str | None] = field(default_factory=dict)

    @property
    def dask_address(self) -> str:
        return str(self.cluster.scheduler_address)

    def storage_env(self) -> dict[str, str]:
        """What a machine of the team needs to reach the bucket (standard AWS variables)."""
        return {
            "AWS_ACCESS_KEY_ID": self.s3.admin.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.s3.admin.secret_access_key,
            "AWS_DEFAULT_REGION": self.s3.region,
            "AWS_ENDPOINT_URL": self.s3.endpoint_url,
        }

    def settings(self) -> dict[str, str]:
        """A fresh catalog database and storage prefix: the `DATAPLANE_*` variables of one test."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self.pg.create_database(name)
        return {
            "DATAPLANE_CATALOG_URL": self.pg.url(name),
            "DATAPLANE_STORAGE_URL": f"s3://{BUCKET}/{name}",
            "DATAPLANE_EXECUTOR": "dask",
            "DATAPLANE_DASK_ADDRESS": self.dask_address,
        }

    def stop(self) -> None:
        try:
            self.cluster.close(timeout=30)
        finally:
            try:
                self.s3.stop()
            finally:
                self.pg.stop()
                for name, value in self.saved_env.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value


def start(workers: int = 2) -> Team:
    """Start PostgreSQL, the S3 server (with the bucket) and a LocalCluster of `workers` processes.

    The storage credentials and PYTHONPATH go into this process's environment before the cluster
    starts, so the worker processes inherit them, as `dask worker` on a team machine would."""
    from distributed import LocalCluster

    pg = postgres.start(max_connections=300)
    try:
        server = s3.start()
    except BaseException:
        pg.stop()
        raise
    team = Team(pg, server, None)
    from cryptography.fernet import Fernet

    env = {**team.storage_env(), "AWS_EC2_METADATA_DISABLED": "true",
           "DATAPLANE_SECRET_KEY": Fernet.generate_key().decode(),  # one key for every machine (the guide)
           "DATAPLANE_SPREAD_MIN_ROWS": "100000",  # statistics spread over the workers at test sizes
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    team.saved_env = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        server.client().create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": server.region})
        team.cluster = LocalCluster(n_workers=workers, threads_per_worker=2, processes=True, host="127.0.0.1",
                                    dashboard_address=None, silence_logs=40)
    except BaseException:
        team.cluster = team.cluster or _NoCluster()
        team.stop()
        raise
    return team


class _NoCluster:
    scheduler_address = ""

    def close(self, timeout: float = 0) -> None:
        return None
