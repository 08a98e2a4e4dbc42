"""A throwaway FTP server (pyftpdlib) rooted at a test folder; run as a script in the child process."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

USERNAME = "bob"
PASSWORD = "ftp-secret-Pw1"
READONLY_USER = "reader"


@dataclass
class FTPServer:
    """A running server; `root` is the folder served as `/`."""

    process: object
    port: int
    root: Path
    host: str = "127.0.0.1"
    username: str = USERNAME
    password: str = PASSWORD

    def stop(self) -> None:
        self.process.stop()
        shutil.rmtree(self.root.parent, ignore_errors=True)


def start() -> FTPServer:
    """Serve a fresh folder on a free port with users `bob` (read/write) and `reader` (no read permission)."""
    from tests.servers._process import ServerProcess, free_port

    root = Path(tempfile.mkdtemp(prefix="dataplane-ftp-"))
    (root / "files").mkdir()
    port = free_port()
    process = ServerProcess("pyftpdlib", [sys.executable, __file__, "--port", str(port), "--root", str(root / "files")],
                            root / "ftp.log")
    process.wait_for_port(port, deadline=20)
    return FTPServer(process, port, root / "files")


def main() -> None:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import FTPServer as Server

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    authorizer = DummyAuthorizer()
    authorizer.add_user(USERNAME, PASSWORD, args.root, perm="elradfmwMT")
    authorizer.add_user(READONLY_USER, PASSWORD, args.root, perm="el")  # may log in and list, not read files
    handler = FTPHandler
    handler.authorizer = authorizer
    handler.auth_failed_timeout = 0.05
    handler.passive_ports = None
    server = Server(("127.0.0.1", args.port), handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
