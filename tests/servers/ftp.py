"""A throwaway FTP server (pyftpdlib) rooted at a test folder; run as a script in the child process."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from tests.servers._process import FolderServer, start_script, work_folder

USERNAME = "bob"
PASSWORD = "ftp-secret-Pw1"
READONLY_USER = "reader"


@dataclass
class FTPServer(FolderServer):
    """A running server; `root` is the folder served as `/`."""

    host: str = "127.0.0.1"
    username: str = USERNAME
    password: str = PASSWORD


def start() -> FTPServer:
    """Serve a fresh folder on a free port with users `bob` (read/write) and `reader` (no read permission)."""
    work = work_folder("dataplane-ftp-")
    process, port = start_script("pyftpdlib", __name__, work, "--root", str(work / "files"))
    return FTPServer(process, port, work / "files")


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
