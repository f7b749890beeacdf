"""What a fake-hub route answers: a status, headers and a body (bytes or a stream of chunks)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    """One HTTP answer; a chunk iterable is streamed without Content-Length unless given."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    """A JSON answer with the content type both real APIs send."""
    head = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return Reply(status, json.dumps(data).encode(), head)


def hf_error(status: int, code: str, message: str) -> Reply:
    """The hub's error shape: {"error": ...} plus the X-Error-Code header huggingface_hub reads."""
    return json_reply(
        {"error": message}, status, {"X-Error-Code": code, "X-Error-Message": message}
    )


def github_not_found() -> Reply:
    """GitHub's 404 body."""
    return json_reply(
        {
            "message": "Not Found",
            "documentation_url": "https://docs.github.com/rest",
            "status": "404",
        },
        404,
    )


def zeros(total: int, chunk: int = 64 * 1024) -> Iterable[bytes]:
    """`total` zero bytes in chunks, produced lazily (a stream a client should cut short)."""
    sent = 0
    while sent < total:
        size = min(chunk, total - sent)
        sent += size
        yield b"\0" * size


def page_of(items: list[Any], page: int, per_page: int) -> tuple[list[Any], bool]:
    """One page (1-based) of `items` and whether another page follows."""
    start = (max(page, 1) - 1) * per_page
    return items[start : start + per_page], start + per_page < len(items)
