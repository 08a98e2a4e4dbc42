"""Start a real server as a child process on 127.0.0.1 and stop it again by its own pid."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[2]


class ServerFailed(RuntimeError):
    """A test server did not start; the message carries the end of its log."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = HOST) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def tail(path: Path, lines: int = 60) -> str:
    """The last lines of a log file, for failure messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


try:
    import ctypes

    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, even by SIGKILL (Linux only)."""
    if _prctl is not None:
        _prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG


class ServerProcess:
    """One child process with its log file; `stop()` ends exactly that process."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log: Path,
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        user: str | None = None,
    ) -> None:
        self.name = name
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                list(argv),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
                cwd=cwd,
                user=user,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def fail(self, why: str) -> ServerFailed:
        """Stop the process and build an error carrying its log."""
        self.stop()
        return ServerFailed(f"{self.name} {why}; its log ({self.log}):\n{tail(self.log)}")

    def wait_until(self, ready: Callable[[], bool], *, deadline: float = 30.0) -> None:
        """Poll `ready` until it holds; raise with the server's log if the process dies or time runs out."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise self.fail(f"exited with code {self.proc.returncode} while starting")
            try:
                if ready():
                    return
            except Exception:  # noqa: BLE001, S110 - not ready yet, whatever the reason
                pass
            time.sleep(0.1)
        raise self.fail(f"was not ready after {deadline:.0f} s")

    def wait_for_port(self, port: int, *, deadline: float = 30.0) -> None:
        """Wait until the server accepts TCP connections on 127.0.0.1:port."""
        self.wait_until(lambda: port_open(port), deadline=deadline)

    def stop(self, *, grace: float = 10.0) -> None:
        """SIGTERM this process (then SIGKILL after `grace` seconds) and reap it."""
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(grace)


@dataclass
class ServerInFolder:
    """A running server on 127.0.0.1:`port` with its own working folder `root` (data, log);
    `stop()` ends the process and removes the folder."""

    process: ServerProcess
    port: int
    root: Path
    stop_grace: ClassVar[float] = 10.0  # seconds between SIGTERM and SIGKILL

    def stop(self) -> None:
        self.process.stop(grace=self.stop_grace)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class HTTPEmulator(ServerInFolder):
    """A cloud service's emulator answering HTTP at `endpoint_url`."""

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"


def temp_root(prefix: str) -> tuple[Path, int]:
    """A fresh working folder under the temporary directory, and a free port for the server."""
    return Path(tempfile.mkdtemp(prefix=prefix)), free_port()


@dataclass
class FolderServer:
    """A running file server (FTP, SFTP) that serves `root` as `/`; `stop()` ends it and removes
    its working folder."""

    process: ServerProcess
    port: int
    root: Path

    def stop(self) -> None:
        self.process.stop()
        shutil.rmtree(self.root.parent, ignore_errors=True)


def work_folder(prefix: str) -> Path:
    """A fresh working folder holding an empty `files` folder, the one a FolderServer serves."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    (work / "files").mkdir()
    return work


def start_script(name: str, module: str, work: Path, *args: str, deadline: float = 20.0) -> tuple[ServerProcess, int]:
    """Run a server module (`python -m module --port <free port> *args`, from the repository so that
    it can import `tests`), logging to `work`, and wait until it listens; returns it and its port."""
    port = free_port()
    argv = [sys.executable, "-m", module, "--port", str(port), *args]
    process = ServerProcess(name, argv, work / f"{module.rsplit('.', 1)[-1]}.log", cwd=REPO)
    process.wait_for_port(port, deadline=deadline)
    return process, port


def serve(module: Any) -> Iterator[Any]:
    """For a fixture: the server `module.start()` starts, stopped again when the fixture ends."""
    server = module.start()
    try:
        yield server
    finally:
        server.stop()
