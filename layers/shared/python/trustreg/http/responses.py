"""Responses in the Lambda proxy shape, and the one mapping of typed errors to HTTP."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trustreg.errors import RegistryError
from trustreg.json_text import JsonText

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


@dataclass
class Response:
    """A handler's answer when it needs more than `200 + JSON` (status, headers, raw bytes)."""

    status: int = 200
    body: Any = None  # written as JSON; a JsonText is sent as it is
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as-is (binary, base64-encoded for API Gateway)
    content_type: str = "application/json"


def paged(items: list[Any] | JsonText, next_offset: str | None) -> Response:
    """A page of a listing: the items, and the `offset` header that asks for the next page."""
    return Response(body=items, headers={"offset": next_offset} if next_offset else {})


def to_proxy(response: Response, dumps: Callable[[Any], str] = json.dumps) -> dict[str, Any]:
    """The Lambda proxy result API Gateway expects; `dumps` writes a JSON body."""
    headers = {**SECURITY_HEADERS, "Content-Type": response.content_type, **response.headers}
    if response.raw is not None and response.content_type.startswith(("text/", "application/json")):
        # Text goes out as text: API Gateway decodes base64 only for its binary media types.
        return {
            "statusCode": response.status,
            "headers": headers,
            "body": response.raw.decode("utf-8"),
            "isBase64Encoded": False,
        }
    if response.raw is not None:
        return {
            "statusCode": response.status,
            "headers": headers,
            "body": base64.b64encode(response.raw).decode("ascii"),
            "isBase64Encoded": True,
        }
    if isinstance(response.body, JsonText):
        body = response.body.text
    elif response.body is None and response.status == 204:
        body = ""
    else:
        body = dumps(response.body)
    return {
        "statusCode": response.status,
        "headers": headers,
        "body": body,
        "isBase64Encoded": False,
    }


def error_body(status: int, code: str, message: str, request_id: str, details: Any = None) -> Any:
    """The one JSON error shape of the API."""
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if request_id:
        error["request_id"] = request_id
    if details:
        error["details"] = details
    return {"error": error}


def from_error(exc: RegistryError, request_id: str) -> dict[str, Any]:
    """Map a typed error to its response (status from the error class)."""
    headers = {}
    retry = exc.details.get("retry_after_seconds") if exc.details else None
    if retry:
        headers["Retry-After"] = str(retry)
    body = error_body(exc.status, exc.code, exc.message, request_id, exc.details or None)
    return to_proxy(Response(status=exc.status, body=body, headers=headers))


def internal_error(request_id: str) -> dict[str, Any]:
    """A 500 that says what to quote to an operator, never a stack trace."""
    message = "internal error; the request id identifies it in the logs"
    return to_proxy(
        Response(status=500, body=error_body(500, "internal_error", message, request_id))
    )
