"""A throwaway MariaDB server: `mariadb-install-db` + `mariadbd --no-defaults` on a free port."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from tests.servers._process import HOST, ServerFailed, ServerInFolder, ServerProcess, free_port

USERNAME = "dataplane"
PASSWORD = "maria-secret-Pw1"


@dataclass
class MariaDBServer(ServerInFolder):
    """A running server with a TCP user `dataplane` that may do anything."""

    socket: Path
    host: str = HOST
    username: str = USERNAME
    password: str = PASSWORD
    stop_grace: ClassVar[float] = 20.0

    def url(self, database: str = "", *, username: str | None = None, password: str | None = None) -> str:
        return (
            f"mysql+pymysql://{username or self.username}:{password or self.password}"
            f"@{self.host}:{self.port}/{database}"
        )

    def execute(self, *statements: str, database: str | None = None) -> None:
        """Run statements as root over the unix socket."""
        import pymysql

        conn = pymysql.connect(unix_socket=str(self.socket), user="root", database=database, autocommit=True,
                               connect_timeout=10)
        try:
            with conn.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
        finally:
            conn.close()

    def create_database(self, name: str) -> None:
        self.execute(f"CREATE DATABASE `{name}`")


def start() -> MariaDBServer:
    """Initialise a fresh data dir under /tmp and run mariadbd on a free 127.0.0.1 port."""
    installer, daemon = shutil.which("mariadb-install-db"), shutil.which("mariadbd") or "/usr/sbin/mariadbd"
    if not installer or not os.path.exists(daemon):
        raise ServerFailed("MariaDB is not installed (apt package 'mariadb-server', see requirements/apt-test.txt)")
    user = "mysql" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    root = Path(tempfile.mkdtemp(prefix="dataplane-maria-"))
    data, sock, log = root / "data", root / "mysqld.sock", root / "mariadb.log"
    if os.geteuid() == 0:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    init = subprocess.run(
        [installer, "--no-defaults", f"--datadir={data}", f"--user={user}",
         "--auth-root-authentication-method=normal", "--skip-test-db"],
        capture_output=True, text=True, timeout=180,
    )
    if init.returncode != 0:
        raise ServerFailed(f"mariadb-install-db failed:\n{init.stdout}\n{init.stderr}")
    port = free_port()
    process = ServerProcess(
        "mariadbd",
        [daemon, "--no-defaults", f"--datadir={data}", f"--socket={sock}", f"--port={port}",
         f"--bind-address={HOST}", f"--user={user}", f"--pid-file={root / 'mariadb.pid'}",
         "--skip-name-resolve", "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin",
         "--innodb-buffer-pool-size=64M"],
        log,
    )
    server = MariaDBServer(process, port, root, sock)
    process.wait_until(lambda: server.execute("SELECT 1") is None, deadline=60)
    server.execute(
        f"CREATE USER '{USERNAME}'@'%' IDENTIFIED BY '{PASSWORD}'",
        f"GRANT ALL PRIVILEGES ON *.* TO '{USERNAME}'@'%' WITH GRANT OPTION",
    )
    return server
