"""A stand-in for Google's OAuth token endpoint, so service-account keys are exercised without a cloud.

A service-account JSON whose `token_uri` points here gets an access token when its `private_key_id`
is `good`, and Google's own `invalid_grant` answer otherwise (what a revoked or wrong key gets).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers._process import HOST


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        import base64
        from urllib.parse import parse_qs

        body = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        assertion = body.get("assertion", [""])[0]
        header = json.loads(base64.urlsafe_b64decode(assertion.split(".")[0] + "==")) if assertion else {}
        if header.get("kid") == "good":
            status, answer = 200, {"access_token": "local-token", "expires_in": 3600, "token_type": "Bearer"}
        else:
            status, answer = 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@dataclass
class TokenServer:
    """An in-process HTTP server; `service_account(...)` builds keys that use it."""

    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def token_uri(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/token"

    def service_account(self, *, good: bool = True, project_id: str = "test-project") -> str:
        """A service-account JSON with a fresh RSA key; `good=False` makes the token endpoint refuse it."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        return json.dumps({
            "type": "service_account", "project_id": project_id, "private_key_id": "good" if good else "revoked",
            "private_key": pem, "client_email": f"loader@{project_id}.iam.gserviceaccount.com",
            "client_id": "1", "token_uri": self.token_uri,
        })

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def start() -> TokenServer:
    server = ThreadingHTTPServer((HOST, 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, name="google-token", daemon=True)
    thread.start()
    return TokenServer(server, thread)
