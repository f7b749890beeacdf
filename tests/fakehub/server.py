"""FakeHub: a loopback HTTP server that answers like the HuggingFace Hub and GitHub REST API.

HF lives at `hub.url`, the GitHub API at `hub.github_api_url` (= url + "/github-api") and GitHub
web pages are recognised under `hub.github_web_url` (= url + "/github"). Tests inject faults with
`fail`, `redirect`, `delay` and `stream`, and read `hub.requests` / `hub.log` to see what was asked.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fakehub import github_routes, hf_routes
from tests.fakehub.replies import Reply, zeros
from tests.fakehub.store import load_github, load_hf


@dataclass
class Logged:
    """One request the hub received."""

    path: str
    query: str
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased


@dataclass
class _Fault:
    prefix: str
    reply: Reply
    times: int | None  # None: forever
    stream: int | None = None  # answer this many zero bytes as a fresh stream each time


class FakeHub:
    """Context manager running the fake hub on 127.0.0.1:<free port> in a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.hf_repos, self.gh_repos = load_hf(), load_github()
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.hub = self  # type: ignore[attr-defined]
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self.github_api_url = f"{self.url}/github-api"
        self.github_web_url = f"{self.url}/github"
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.lfs_blobs: dict[str, bytes] = {}
        self.virtual_sizes: dict[str, int] = {}
        self.reset()

    def reset(self) -> None:
        """Forget faults, the request log and per-test knobs."""
        with self._lock:
            self._faults: list[_Fault] = []
            self._delays: dict[str, float] = {}
            self.log: list[Logged] = []
        self.tree_page_size = 1000
        self.cdn_base: str | None = None  # where LFS resolves redirect (another host in tests)
        self.codeload_base: str | None = None

    @property
    def requests(self) -> list[str]:
        """Paths requested so far, in order (without query strings)."""
        with self._lock:
            return [entry.path for entry in self.log]

    def fail(
        self,
        path_prefix: str,
        status: int,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> None:
        """Answer `status` to the next `times` requests under `path_prefix` (None: always)."""
        self._add(path_prefix, Reply(status, body, dict(headers or {})), times)

    def redirect(
        self, path: str, location: str, status: int = 302, times: int | None = None
    ) -> None:
        """Redirect requests for `path` (a prefix) to `location`."""
        self._add(path, Reply(status, b"", {"Location": location}), times)

    def stream(self, path: str, nbytes: int, times: int | None = None) -> None:
        """Answer 200 with `nbytes` zero bytes and no Content-Length (a size cap must cut it)."""
        with self._lock:
            self._faults.append(_Fault(path, Reply(200), times, nbytes))

    def delay(self, path_prefix: str, seconds: float) -> None:
        """Sleep before answering requests under `path_prefix` (for timeouts)."""
        with self._lock:
            self._delays[path_prefix] = seconds

    def _add(self, prefix: str, reply: Reply, times: int | None) -> None:
        with self._lock:
            self._faults.append(_Fault(prefix, reply, times))

    def _fault_for(self, path: str) -> tuple[Reply | None, float]:
        with self._lock:
            delay = max([s for p, s in self._delays.items() if path.startswith(p)], default=0.0)
            for fault in self._faults:
                if path.startswith(fault.prefix) and fault.times != 0:
                    if fault.times is not None:
                        fault.times -= 1
                    body = fault.reply.body if fault.stream is None else zeros(fault.stream)
                    return Reply(fault.reply.status, body, dict(fault.reply.headers)), delay
        return None, delay

    def route(self, path: str, query: dict[str, str]) -> Reply:
        """The answer to GET `path` when no fault applies."""
        if path.startswith("/github-api/"):
            return github_routes.handle(self, path[len("/github-api") :], query)
        seg = [unquote(s) for s in path.split("/") if s]
        if seg[:1] == ["_lfs"] and len(seg) == 2:
            return hf_routes.lfs(self, seg[1])
        if seg[:1] == ["api"] and len(seg) >= 3 and seg[1] in {"models", "datasets"}:
            return hf_routes.api(self, seg[1][:-1], seg[2:], query)
        if seg[:1] == ["datasets"]:
            return hf_routes.resolve(self, "dataset", seg[1:])
        return hf_routes.resolve(self, "model", seg)

    def __enter__(self) -> FakeHub:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> None:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeHub/1.0"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        hub: FakeHub = self.server.hub  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        with hub._lock:
            hub.log.append(Logged(parts.path, parts.query, _lower(self.headers.items())))
        reply, delay = hub._fault_for(parts.path)
        if delay:
            time.sleep(delay)
        if reply is None:
            reply = hub.route(parts.path, dict(parse_qsl(parts.query)))
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if isinstance(reply.body, bytes) and "Content-Length" not in reply.headers:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        chunks: Iterable[bytes] = [reply.body] if isinstance(reply.body, bytes) else reply.body
        try:
            for chunk in chunks:
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: exactly what a size cap does

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass
