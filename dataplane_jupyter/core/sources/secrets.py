"""Encryption at rest for connector secrets (passwords, keys, service-account JSON).

The key comes from `DATAPLANE_SECRET_KEY` (a Fernet key: share it between machines that share a
catalog) or else from `secret.key` in the data home, created readable by its owner only.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from dataplane_jupyter.core.errors import InvalidState

KEY_VARIABLE = "DATAPLANE_SECRET_KEY"
KEY_FILE = "secret.key"


def load_key(home: Path) -> bytes:
    """The Fernet key: from the environment, else the home's key file (created 0600 if absent)."""
    from_env = os.environ.get(KEY_VARIABLE)
    if from_env:
        return from_env.encode()
    path = home / KEY_FILE
    if not path.exists():
        # Written whole under another name, then linked into place: a reader racing the first
        # writer never sees an empty key file, and of two first writers one key wins.
        draft = home / f".{KEY_FILE}.{uuid.uuid4().hex}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(Fernet.generate_key())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink(missing_ok=True)
    return path.read_bytes().strip()


class SecretBox:
    """Seals and opens dicts of secret values."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def __repr__(self) -> str:
        return "SecretBox(***)"

    def seal(self, values: dict[str, Any]) -> str | None:
        """Encrypt a dict (None when there is nothing to keep)."""
        if not values:
            return None
        return self._fernet.encrypt(json.dumps(values).encode()).decode()

    def open(self, token: str | None) -> dict[str, Any]:
        """Decrypt what `seal` produced."""
        if not token:
            return {}
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise InvalidState(
                f"Stored secrets cannot be decrypted with this key: set {KEY_VARIABLE} to the key "
                "the catalog was created with."
            ) from None
