"""A throwaway Google Cloud Storage emulator (gcp-storage-emulator), in memory."""

from __future__ import annotations

import shutil
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.servers._process import HOST, ServerProcess, free_port


@dataclass
class GCSServer:
    """A running emulator; it does not check credentials."""

    process: ServerProcess
    port: int
    root: Path

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        self.process.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> GCSServer:
    """Run the emulator on a free port and wait until it answers bucket listings."""
    root = Path(tempfile.mkdtemp(prefix="dataplane-gcs-"))
    port = free_port()
    exe = Path(sys.executable).parent / "gcp-storage-emulator"
    process = ServerProcess(
        "gcp-storage-emulator",
        [str(exe) if exe.exists() else "gcp-storage-emulator", "start", "--host", HOST, "--port", str(port), "--in-memory"],
        root / "gcs.log", cwd=root,
    )
    url = f"http://{HOST}:{port}/storage/v1/b?project=test"
    process.wait_until(lambda: urllib.request.urlopen(url, timeout=2).status == 200, deadline=30)
    return GCSServer(process, port, root)
