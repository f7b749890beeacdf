"""The one way the registry fetches from upstream: guarded, bounded, retried (urllib only).

Errors: the first URL refused by the guard -> BadRequest (the caller's URL is at fault); a refused
redirect hop -> UpstreamError (upstream sent us somewhere we will not go). Upstream 404 ->
NotFound. Bodies over a cap: JSON -> UpstreamError, text and downloads -> PayloadTooLarge.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import time
import urllib.request
from collections.abc import Callable
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

from trustreg.config import Settings, get_settings
from trustreg.errors import NotFound, UpstreamError
from trustreg.sources.bodies import host_of, next_link, read_capped
from trustreg.sources.host_guard import HostGuard, Resolver, vet_url
from trustreg.sources.net_guard import pinned_opener, system_resolver
from trustreg.sources.retry import RETRY_STATUSES, backoff_delay, retry_after_seconds

DEFAULT_JSON_BYTES = 16 * 1024 * 1024
# HF answers 401 + X-Error-Code for a missing repo (it will not say whether a private one exists).
_HF_MISSING = {"RepoNotFound", "EntryNotFound", "RevisionNotFound"}


class SafeHttpClient:
    """GETs over urllib with an SSRF guard, manual redirects, retries and size caps."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        resolver: Resolver = system_resolver,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 3,
        max_redirects: int = 5,
        max_retry_after_s: float = 10.0,
    ) -> None:
        self.settings = settings or get_settings()
        self._guard = HostGuard.from_hosts(
            self.settings.allowed_source_hosts,
            resolver,
            self.settings.source_endpoints,
        )
        self._sleep = sleep
        self.max_attempts, self.max_redirects = max_attempts, max_redirects
        self.max_retry_after_s = max_retry_after_s
        # Longest base first: a fake hub may serve both APIs from one host under two prefixes.
        bases = [
            (self.settings.github_api_url.rstrip("/"), self.settings.github_token),
            (self.settings.hf_endpoint.rstrip("/"), self.settings.hf_token),
        ]
        self._tokens = sorted(bases, key=lambda pair: -len(pair[0]))

    def get_json(self, url: str, *, headers: dict[str, str] | None = None) -> Any:
        """Fetch and decode a JSON document."""
        return self.get_json_page(url, headers=headers)[0]

    def get_json_page(
        self, url: str, *, headers: dict[str, str] | None = None
    ) -> tuple[Any, str | None]:
        """Fetch a JSON document and the `rel="next"` URL of its Link header, if any."""
        with self._open(url, headers or {}) as resp:
            body = read_capped(resp, url, DEFAULT_JSON_BYTES, None, json_body=True)[0]
            next_url = next_link(resp.headers.get("Link"), resp.url or url)
        try:
            return json.loads(body), next_url
        except ValueError as exc:
            raise UpstreamError(f"{host_of(url)} answered with invalid JSON for {url}") from exc

    def get_text(self, url: str, *, max_bytes: int, headers: dict[str, str] | None = None) -> str:
        """Fetch a text file of at most `max_bytes` bytes (decoded as UTF-8, lenient)."""
        with self._open(url, headers or {}) as resp:
            return read_capped(resp, url, max_bytes, None)[0].decode("utf-8", errors="replace")

    def download_to(
        self, url: str, fileobj: BinaryIO, max_bytes: int, *, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """Stream a file into `fileobj`; returns (size in bytes, sha256 hex)."""
        digest = hashlib.sha256()

        def write(chunk: bytes) -> None:
            fileobj.write(chunk)
            digest.update(chunk)

        with self._open(url, headers or {}) as resp:
            size = read_capped(resp, url, max_bytes, write)[1]
        return size, digest.hexdigest()

    def _open(self, url: str, headers: dict[str, str]) -> Any:
        """The final response (2xx) after redirects and retries, or a mapped error."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                resp = self._follow(url, headers)
            except (OSError, http.client.HTTPException) as exc:
                if attempt == self.max_attempts:
                    raise UpstreamError(
                        f"{host_of(url)} could not be reached after {attempt} attempts: {exc}",
                        details={"url": url},
                    ) from exc
                self._sleep(backoff_delay(attempt))
                continue
            if 200 <= resp.status < 300:
                return resp
            resp.close()
            self._raise_for(resp, url, attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _raise_for(self, resp: Any, url: str, attempt: int) -> None:
        status, host = resp.status, host_of(url)
        if status == 404 or resp.headers.get("X-Error-Code") in _HF_MISSING:
            raise NotFound(f"{urlsplit(url).path} not found upstream ({host})")
        if status in RETRY_STATUSES and attempt < self.max_attempts:
            wait = retry_after_seconds(resp.headers.get("Retry-After"))
            if wait is not None and wait > self.max_retry_after_s:
                raise UpstreamError(
                    f"{host} is rate limiting us; retry after {wait:.0f}s",
                    details={"url": url, "status": status},
                )
            self._sleep(wait if wait is not None else backoff_delay(attempt))
            return
        raise UpstreamError(
            f"{host} answered HTTP {status} for {urlsplit(url).path}",
            details={"url": url, "status": status},
        )

    def _follow(self, url: str, headers: dict[str, str]) -> Any:
        first = urlsplit(url)
        for hop in range(self.max_redirects + 1):
            parts = urlsplit(url)
            addresses = vet_url(url, self._guard, redirected=hop > 0)
            hop_headers = {"User-Agent": "trustreg/0.1", **headers}
            token = self._token_for(url)
            # A token goes to its own host only, and never over a redirect to another host.
            if token and parts.hostname == first.hostname and parts.scheme == first.scheme:
                hop_headers["Authorization"] = f"Bearer {token}"
            # urllib is safe here: vet_url admitted only http(s) on an allowed, vetted host.
            request = urllib.request.Request(url, headers=hop_headers, method="GET")  # noqa: S310
            resp = pinned_opener(addresses).open(request, timeout=self.settings.http_timeout_s)
            if resp.status not in {301, 302, 303, 307, 308}:
                return resp
            location = resp.headers.get("Location")
            resp.close()
            if not location:
                raise UpstreamError(f"{parts.hostname} sent a redirect without a Location")
            url = urljoin(url, location)
        raise UpstreamError(f"more than {self.max_redirects} redirects from {first.hostname}")

    def _token_for(self, url: str) -> str | None:
        for base, token in self._tokens:
            if url == base or url.startswith(base + "/"):
                return token
        return None
