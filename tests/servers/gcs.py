"""A throwaway Google Cloud Storage emulator (gcp-storage-emulator), in memory."""

from __future__ import annotations

import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.servers._process import HOST, HTTPEmulator, ServerProcess, temp_root


@dataclass
class GCSServer(HTTPEmulator):
    """A running emulator; it does not check credentials."""


def start() -> GCSServer:
    """Run the emulator on a free port and wait until it answers bucket listings."""
    root, port = temp_root("dataplane-gcs-")
    exe = Path(sys.executable).parent / "gcp-storage-emulator"
    process = ServerProcess(
        "gcp-storage-emulator",
        [str(exe) if exe.exists() else "gcp-storage-emulator", "start", "--host", HOST, "--port", str(port), "--in-memory"],
        root / "gcs.log", cwd=root,
    )
    url = f"http://{HOST}:{port}/storage/v1/b?project=test"
    process.wait_until(lambda: urllib.request.urlopen(url, timeout=2).status == 200, deadline=30)
    return GCSServer(process, port, root)
