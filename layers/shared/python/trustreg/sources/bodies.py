"""Reading upstream bodies within a byte cap, and the pagination links beside them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

from trustreg.errors import PayloadTooLarge, UpstreamError

CHUNK = 64 * 1024
Writer = Callable[[bytes], None]


def read_capped(
    resp: Any, url: str, cap: int, write: Writer | None, *, json_body: bool = False
) -> tuple[bytes, int]:
    """(body, size); with `write` the body streams there instead. Refuses more than `cap`."""
    length = resp.headers.get("Content-Length")
    declared = int(length) if length and length.isdigit() else None
    buf, seen = bytearray(), 0
    while True:
        # The declared length fails fast; counting catches a server that lies or omits it.
        if (declared or 0) > cap or seen > cap:
            if json_body:
                raise UpstreamError(f"{host_of(url)} answered with more than {cap} bytes")
            raise PayloadTooLarge(
                f"{urlsplit(url).path} is larger than the {cap} byte limit",
                details={"url": url, "limit": cap, "declared_size": declared},
            )
        chunk = resp.read(CHUNK)
        if not chunk:
            return bytes(buf), seen
        seen += len(chunk)
        if write is None:
            buf += chunk
        elif seen <= cap:
            write(chunk)


def host_of(url: str) -> str:
    """The host of `url`, for messages."""
    return urlsplit(url).hostname or url


def next_link(header: str | None, base: str) -> str | None:
    """The `rel="next"` target of an RFC 8288 Link header (GitHub and the HF hub paginate so)."""
    for part in (header or "").split(","):
        target, _, params = part.partition(";")
        if 'rel="next"' in params.replace(" ", "") and target.strip().startswith("<"):
            return urljoin(base, target.strip()[1:-1])
    return None
