"""A throwaway PostgreSQL server: `initdb` + `postgres` in the foreground, password auth over TCP."""

from __future__ import annotations

import glob
import os
import pwd
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.servers._process import HOST, ServerFailed, ServerInFolder, ServerProcess, free_port

SUPERUSER = "dataplane"
PASSWORD = "pg-secret-Pw1"


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise ServerFailed("PostgreSQL is not installed (apt package 'postgresql', see requirements/apt-test.txt)")
    return Path(found[-1]).parent


@dataclass
class PostgresServer(ServerInFolder):
    """A running server; `url(db)` gives a SQLAlchemy URL as the superuser."""

    host: str = HOST
    username: str = SUPERUSER
    password: str = PASSWORD

    def url(self, database: str = "postgres", *, username: str | None = None, password: str | None = None) -> str:
        return (
            f"postgresql+psycopg://{username or self.username}:{password or self.password}"
            f"@{self.host}:{self.port}/{database}"
        )

    def execute(self, database: str, *statements: str) -> None:
        """Run statements as the superuser with autocommit (CREATE DATABASE needs it)."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=self.username, password=self.password, dbname=database,
            autocommit=True, connect_timeout=10,
        ) as conn:
            for statement in statements:
                conn.execute(statement)

    def create_database(self, name: str) -> None:
        self.execute("postgres", f'CREATE DATABASE "{name}"')


def start(max_connections: int = 50) -> PostgresServer:
    """initdb a fresh cluster under /tmp and run it on a free 127.0.0.1 port."""
    bindir = _bindir()
    # initdb refuses to run as root: run the cluster as the `postgres` system user then.
    user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="dataplane-pg-"))
    data, pwfile, log = root / "data", root / "pw", root / "postgres.log"
    pwfile.write_text(PASSWORD)
    if user:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
        os.chown(pwfile, entry.pw_uid, entry.pw_gid)
    init = subprocess.run(
        [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, f"--pwfile={pwfile}",
         "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"],
        capture_output=True, text=True, user=user, timeout=120,
    )
    if init.returncode != 0:
        raise ServerFailed(f"initdb failed:\n{init.stdout}\n{init.stderr}")
    port = free_port()
    process = ServerProcess(
        "postgres",
        [str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(root),
         "-c", f"listen_addresses={HOST}", "-c", "fsync=off", "-c", "synchronous_commit=off",
         "-c", "full_page_writes=off", "-c", f"max_connections={max_connections}"],
        log, user=user,
    )
    server = PostgresServer(process, port, root)
    process.wait_until(lambda: server.execute("postgres", "SELECT 1") is None, deadline=30)
    return server
