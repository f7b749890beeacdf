"""The local stand-in for S3's presigned URLs: GET and PUT on signed `/_blobs/<key>` links."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import SplitResult, parse_qs, unquote

from trustreg.errors import Forbidden, RegistryError
from trustreg.http.responses import SECURITY_HEADERS, error_body
from trustreg.storage import get_blob_store
from trustreg.storage.local import BLOB_ROUTE, LocalBlobStore

__all__ = ["BLOB_ROUTE", "serve_blob"]
MAX_UPLOAD = 5 * 1024 * 1024 * 1024


def serve_blob(handler: Any, url: SplitResult) -> None:
    """Verify the signature, then stream the blob out (GET) or in (PUT)."""
    configured = get_blob_store()
    query = {k: v[-1] for k, v in parse_qs(url.query).items()}
    key = unquote(url.path[len(BLOB_ROUTE) :])
    op = "get" if handler.command in ("GET", "HEAD") else "put" if handler.command == "PUT" else ""
    try:
        if not isinstance(configured, LocalBlobStore) or not op or query.get("op") != op:
            raise Forbidden("this signed URL does not allow that operation")
        store: LocalBlobStore = configured
        store.verify(op, key, query.get("expires", ""), query.get("sig", ""))
        if op == "put":
            length = int(handler.headers.get("Content-Length") or 0)
            from io import BytesIO

            stream = _Limited(handler.rfile, length) if length else BytesIO(b"")
            size = store.put_stream(key, stream, MAX_UPLOAD)  # type: ignore[arg-type]
            handler._send(
                200,
                {**SECURITY_HEADERS, "Content-Type": "application/json"},
                json.dumps({"size": size}).encode(),
            )
            return
        with store.open(key) as src:
            src.seek(0, 2)
            size = src.tell()
            src.seek(0)
            # `filename` is not covered by the signature: keep only characters that cannot
            # break out of the header (CR/LF would inject headers, quotes the parameter).
            raw_name = query.get("filename", key.rsplit("/", 1)[-1])
            name = "".join(
                c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in raw_name
            )
            name = name[:200] or "package.zip"
            handler.send_response(200)
            for header, value in SECURITY_HEADERS.items():
                handler.send_header(header, value)
            handler.send_header("Content-Type", "application/zip")
            handler.send_header("Content-Length", str(size))
            handler.send_header("Content-Disposition", f'attachment; filename="{name}"')
            handler.end_headers()
            if handler.command != "HEAD":
                while chunk := src.read(1024 * 1024):
                    handler.wfile.write(chunk)
    except RegistryError as exc:
        body = json.dumps(error_body(exc.status, exc.code, exc.message, "")).encode()
        handler._send(exc.status, {**SECURITY_HEADERS, "Content-Type": "application/json"}, body)


class _Limited:
    """Read at most `length` bytes from the socket (never block waiting for more)."""

    def __init__(self, raw: Any, length: int) -> None:
        self._raw, self._left = raw, length

    def read(self, n: int) -> bytes:
        if self._left <= 0:
            return b""
        chunk = self._raw.read(min(n, self._left))
        self._left -= len(chunk)
        return chunk
