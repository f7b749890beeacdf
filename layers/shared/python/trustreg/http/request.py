"""An API Gateway REST (v1) proxy event, as the small request object handlers read."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from trustreg.errors import BadRequest, PayloadTooLarge

MAX_JSON_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Request:
    """What a handler needs from the event; header names are lower-cased."""

    method: str
    path: str
    resource: str
    path_params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    request_id: str = ""
    source_ip: str = ""
    stage: str = ""

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> Request:
        """Build from a Lambda proxy event (the same shape locally and in AWS)."""
        raw = event.get("body") or ""
        if event.get("isBase64Encoded"):
            try:
                body = base64.b64decode(raw, validate=False)
            except ValueError as exc:
                raise BadRequest("the request body is not valid base64") from exc
        else:
            body = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
        ctx = event.get("requestContext") or {}
        return cls(
            method=str(event.get("httpMethod", "")).upper(),
            path=str(event.get("path", "")),
            resource=str(event.get("resource", "")),
            path_params={k: str(v) for k, v in (event.get("pathParameters") or {}).items()},
            query={k: str(v) for k, v in (event.get("queryStringParameters") or {}).items()},
            headers={k.lower(): str(v) for k, v in (event.get("headers") or {}).items()},
            body=body,
            request_id=str(ctx.get("requestId", "")),
            source_ip=str((ctx.get("identity") or {}).get("sourceIp", "")),
            stage=str(ctx.get("stage", "")),
        )

    @property
    def base_url(self) -> str:
        """Where clients reach this API: PUBLIC_BASE_URL, else the Host the request came to."""
        from trustreg.config import get_settings

        configured = get_settings().public_base_url
        if configured:
            return configured
        host = self.header("host") or "127.0.0.1"
        proto = self.header("x-forwarded-proto") or (
            "https" if ".amazonaws.com" in host else "http"
        )
        # The execute-api default domain keeps the stage in the path; custom domains map it away.
        stage = f"/{self.stage}" if self.stage and ".execute-api." in host else ""
        return f"{proto}://{host}{stage}"

    def header(self, name: str) -> str | None:
        """A header by case-insensitive name."""
        return self.headers.get(name.lower())

    def param(self, name: str) -> str:
        """A path parameter; BadRequest when it is missing or empty."""
        value = self.path_params.get(name, "")
        if not value:
            raise BadRequest(f"the path parameter '{name}' is missing")
        from trustreg.http.parse import check_text

        return check_text(value, name)

    def json(self) -> Any:
        """The body parsed as JSON; BadRequest when it is empty or malformed."""
        if len(self.body) > MAX_JSON_BYTES:
            raise PayloadTooLarge(f"the JSON body is larger than {MAX_JSON_BYTES} bytes")
        if not self.body.strip():
            raise BadRequest("the request body is empty; a JSON body is required")
        try:
            data = json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest("the request body is not valid JSON") from exc
        except RecursionError as exc:  # `[[[[...` nested deeper than the parser's stack
            raise BadRequest("the request body is nested too deeply") from exc
        if b"\\ud" in self.body.lower():
            _refuse_lone_surrogates(data)
        return data

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object; BadRequest for any other JSON value."""
        data = self.json()
        if not isinstance(data, dict):
            raise BadRequest("the request body must be a JSON object")
        return data

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter (`true`/`false`); BadRequest for anything else."""
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise BadRequest(f"the query parameter '{name}' must be true or false")


def _refuse_lone_surrogates(data: Any) -> None:
    """BadRequest for a string holding an unpaired `\\ud800`-`\\udfff` escape.

    JSON accepts them, but no UTF-8 column, log line or hash can: they would end in a 500.
    Iterative, so a deeply nested body cannot exhaust the stack here either.
    """
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise BadRequest("the request body holds an unpaired UTF-16 surrogate") from exc
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
