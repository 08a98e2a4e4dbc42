"""A throwaway SFTP server (asyncssh) chrooted to a test folder; run as a script in the child process."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from tests.servers._process import FolderServer, start_script, work_folder

USERNAME = "alice"
PASSWORD = "sftp-secret-Pw1"


@dataclass
class SFTPServer(FolderServer):
    """A running server: password or `private_key` (OpenSSH text) log `alice` in, `root` is `/`.

    `host_key` is the server's public host key, as a connector pins it.
    """

    private_key: str = ""
    host_key: str = ""
    host: str = "127.0.0.1"
    username: str = USERNAME
    password: str = PASSWORD


def start() -> SFTPServer:
    """Generate a host key and a client key, then serve a fresh folder on a free port."""
    import asyncssh

    work = work_folder("dataplane-sftp-")
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    host_key.write_private_key(str(work / "host_key"))
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key.write_public_key(str(work / "authorized_keys"))
    process, port = start_script("asyncssh sftp", __name__, work, "--work", str(work))
    return SFTPServer(process, port, work / "files", client_key.export_private_key().decode(),
                      host_key.export_public_key().decode().strip())


def main() -> None:
    import asyncio

    import asyncssh

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    work = Path(args.work)
    allowed = asyncssh.read_public_key(str(work / "authorized_keys"))

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return True

        def password_auth_supported(self) -> bool:
            return True

        def validate_password(self, username: str, password: str) -> bool:
            return username == USERNAME and password == PASSWORD

        def public_key_auth_supported(self) -> bool:
            return True

        def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
            return username == USERNAME and key.public_data == allowed.public_data

    class Files(asyncssh.SFTPServer):
        """Refuses to open files without any read bit, as a non-root server would (this one may run as root)."""

        def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs) -> object:
            local = self.map_path(path)
            if os.path.exists(local) and not os.stat(local).st_mode & 0o444:
                raise asyncssh.SFTPPermissionDenied("Permission denied")
            return super().open(path, pflags, attrs)

    async def serve() -> None:
        await asyncssh.listen(
            "127.0.0.1", args.port, server_factory=Server,
            server_host_keys=[str(work / "host_key")],
            sftp_factory=lambda chan: Files(chan, chroot=str(work / "files")),
            allow_scp=False, login_timeout=10,
        )
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
