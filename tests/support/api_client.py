"""Call the real Lambda handlers in-process with API Gateway REST events, as AWS would."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from trustreg.config import DEFAULT_ADMIN_NAME, DEFAULT_ADMIN_PASSWORD
from trustreg.local.dispatch import load_handler, match
from trustreg.local.events import LambdaContext, build_event


@dataclass
class ApiResponse:
    """What a client sees: status, headers and the parsed body."""

    status: int
    headers: dict[str, str]
    raw: bytes
    body: Any = field(default=None)

    @property
    def message(self) -> str:
        """The error message of an error response."""
        return str(((self.body or {}).get("error") or {}).get("message", ""))


class ApiClient:
    """An in-process client; `token` is sent as X-Authorization when set."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token

    def call(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = ...,  # type: ignore[assignment]
        content_type: str = "application/json",
    ) -> ApiResponse:
        """Send one request through the route's handler."""
        url = urlsplit(path)
        route, params, allowed = match(method, url.path)
        assert route is not None, f"no route for {method} {url.path} (allowed: {allowed})"
        body = (
            raw
            if raw is not None
            else (b"" if json_body is None else json.dumps(json_body).encode())
        )
        hdrs = {"Content-Type": content_type, **(headers or {})}
        tok = self.token if token is ... else token
        if tok:
            hdrs["X-Authorization"] = tok
        event = build_event(
            method=method,
            path=url.path,
            resource=route.path,
            path_params=params,
            query=parse_qs(url.query, keep_blank_values=True),
            headers=hdrs,
            body=body,
            source_ip="127.0.0.1",
            request_id=str(uuid.uuid4()),
        )
        result = load_handler(route.function)(event, LambdaContext(route.function))
        data = result.get("body") or ""
        rawb = base64.b64decode(data) if result.get("isBase64Encoded") else data.encode()
        parsed: Any = None
        if result["headers"].get("Content-Type", "").startswith("application/json") and rawb:
            parsed = json.loads(rawb)
        return ApiResponse(int(result["statusCode"]), dict(result["headers"]), rawb, parsed)

    def get(self, path: str, **kw: Any) -> ApiResponse:
        return self.call("GET", path, **kw)

    def post(self, path: str, json_body: Any = None, **kw: Any) -> ApiResponse:
        return self.call("POST", path, json_body, **kw)

    def put(self, path: str, json_body: Any = None, **kw: Any) -> ApiResponse:
        return self.call("PUT", path, json_body, **kw)

    def delete(self, path: str, **kw: Any) -> ApiResponse:
        return self.call("DELETE", path, **kw)

    def login(self, name: str = DEFAULT_ADMIN_NAME, password: str = DEFAULT_ADMIN_PASSWORD) -> str:
        """Authenticate and keep the token for later calls."""
        r = self.put(
            "/authenticate",
            {"user": {"name": name, "is_admin": False}, "secret": {"password": password}},
            token=None,
        )
        assert r.status == 200, r.body
        self.token = r.body
        return str(r.body)
