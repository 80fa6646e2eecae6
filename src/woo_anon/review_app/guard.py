"""Who may talk to the review server: only this machine, only with the run's token.

A request passes when its Host header names 127.0.0.1 or localhost on our port (stops DNS
rebinding) and it carries the token, in the URL on the first visit and in a cookie after that.
Requests that change something must also come from our own origin (stops cross-site posts).
"""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

SAFE_METHODS = {"GET", "HEAD"}


class TokenGuard:
    """ASGI middleware: 403 for any request without the token or with a foreign Host/Origin."""

    def __init__(self, app, token: str, port: int) -> None:
        self.app = app
        self.token = token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.cookie = f"woo_anon_review_{port}"

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if host not in self.hosts:
            await _send(send, 403, b"Geweigerd: onbekende host.")
            return
        if scope["method"] not in SAFE_METHODS and headers.get("origin", f"http://{host}") != f"http://{host}":
            await _send(send, 403, b"Geweigerd: verzoek van een andere site.")
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
        if query and self._valid(query):
            # First visit: keep the token in a cookie and drop it from the address bar.
            await _send(send, 303, b"", [(b"location", scope["path"].encode()), (b"set-cookie", (
                f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict").encode())])
            return
        if not self._valid(_cookie(headers.get("cookie", ""), self.cookie)):
            await _send(send, 403, b"Geweigerd: open de link met het token die woo-anon review gaf.")
            return
        await self.app(scope, receive, _secure_headers(send))

    def _valid(self, value: str) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), self.token.encode())


def _cookie(header: str, name: str) -> str:
    jar = SimpleCookie()
    try:
        jar.load(header)
    except Exception:
        return ""
    return jar[name].value if name in jar else ""


SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data: blob:; "
                                 b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]


def _secure_headers(send):
    async def wrapped(message) -> None:
        if message["type"] == "http.response.start":
            message = dict(message, headers=list(message.get("headers", [])) + SECURITY_HEADERS)
        await send(message)
    return wrapped


async def _send(send, status: int, body: bytes, headers: list | None = None) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode())] + (headers or []) + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})
