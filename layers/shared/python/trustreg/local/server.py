"""`make run`: serve the whole API on localhost, every request through its real Lambda handler."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from trustreg.http.responses import SECURITY_HEADERS, error_body
from trustreg.local.dispatch import load_handler, match
from trustreg.local.events import LambdaContext, build_event

MAX_BODY = 10 * 1024 * 1024  # API Gateway's own payload limit; larger uploads use a signed URL


class ApiHandler(BaseHTTPRequestHandler):
    """One HTTP request -> one Lambda invocation."""

    server_version = "trustreg-local"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, the body waits for the
    # client's delayed ACK (~40 ms on Linux) on every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, fmt: str, *args: Any) -> None:  # the handlers log in JSON already
        pass

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(
        self, status: int, code: str, message: str, extra: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(error_body(status, code, message, "")).encode()
        headers = {**SECURITY_HEADERS, "Content-Type": "application/json", **(extra or {})}
        self._send(status, headers, body)

    def _read_body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._error(413, "payload_too_large", "the request body is larger than 10 MB")
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        from trustreg.local.blobs import BLOB_ROUTE, serve_blob

        if url.path.startswith(BLOB_ROUTE):
            serve_blob(self, url)
            return
        route, params, allowed = match(self.command, url.path)
        if route is None:
            # Consume the body first: left in the socket it would be read as the next request
            # line of this keep-alive connection.
            if self._read_body() is None:
                return
            if allowed:
                self._error(
                    405,
                    "method_not_allowed",
                    f"{self.command} is not allowed here",
                    {"Allow": ", ".join(allowed)},
                )
            else:
                self._error(404, "not_found", f"no route for {url.path}")
            return
        body = self._read_body()
        if body is None:
            return
        request_id = str(uuid.uuid4())
        event = build_event(
            method=self.command,
            path=url.path,
            resource=route.path,
            path_params=params,
            query=parse_qs(url.query, keep_blank_values=True),
            headers=dict(self.headers.items()),
            body=body,
            source_ip=self.client_address[0],
            request_id=request_id,
        )
        context = LambdaContext(route.function, route.memory_mb, route.timeout_s, request_id)
        try:
            result = load_handler(route.function)(event, context)
        except Exception:  # a broken handler module: answer like API Gateway would, no trace
            import traceback

            traceback.print_exc()
            self._error(502, "bad_gateway", "the function failed to run; see the server log")
            return
        payload = result.get("body") or ""
        raw = (
            __import__("base64").b64decode(payload)
            if result.get("isBase64Encoded")
            else payload.encode("utf-8")
        )
        self._send(int(result["statusCode"]), dict(result.get("headers") or {}), raw)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch

    def __getattr__(self, name: str) -> Any:
        # Any other method (OPTIONS, TRACE, QUERY...) reaches the route table too, so a method
        # the path lacks answers 405 in our error shape, not the standard library's HTML 501.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)


class _Server(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a burst of new clients overflows it and the
    # kernel drops their SYNs, which they retry after 1, 3, 7... seconds.
    request_queue_size = 128


def serve(host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """Bind the server (port 0 picks a free one); the caller runs serve_forever()."""
    httpd = _Server((host, port), ApiHandler)
    httpd.daemon_threads = True
    return httpd


def main() -> None:
    """Migrate, seed the default admin, print how to log in, and serve until Ctrl-C."""
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
    from trustreg.config import get_settings
    from trustreg.db.migrate import upgrade_to_head
    from trustreg.db.seed import ensure_default_admin
    from trustreg.local.logfile import install_log_file

    settings = get_settings()
    install_log_file(settings.data_dir)  # GET /health/logs and the dashboard read it back
    upgrade_to_head()
    ensure_default_admin()
    httpd = serve(host, port)
    print(f"Trustworthy Model Registry listening on http://{host}:{port}", flush=True)
    print(f"  data folder : {settings.data_dir}", flush=True)
    database = "PostgreSQL" if settings.database_url.startswith("postgres") else "SQLite"
    blobs = f"s3://{settings.blob_bucket}" if settings.blob_bucket else settings.blob_dir
    print(f"  database    : {database}")
    print(f"  blobs       : {blobs}")
    print(
        f"  log in      : curl -X PUT http://{host}:{port}/authenticate "
        "-H 'Content-Type: application/json' -d @docs/examples/authenticate.json",
        flush=True,
    )
    print("  stop        : Ctrl-C", flush=True)

    def _stop(*_: Any) -> None:
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        from trustreg.db.engine import dispose_engine

        dispose_engine()
        print("stopped", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
