"""Connections pinned to vetted addresses: a second DNS answer (rebinding) cannot redirect them.

The opener dials only the addresses `host_guard.vet_url` approved, ignores proxy settings and
follows no redirects itself; TLS still checks the certificate against the hostname.
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _pinned(addresses: Sequence[str]) -> Callable[..., socket.socket]:
    """A `create_connection` that ignores the hostname and dials the vetted addresses only."""

    def connect(address: tuple[str, int], timeout: Any = None, source: Any = None) -> socket.socket:
        error: OSError = OSError(f"no usable address for {address[0]}")
        for ip in addresses:
            try:
                return socket.create_connection((ip, address[1]), timeout, source)
            except OSError as exc:
                error = exc
        raise error

    return connect


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, *args: Any, addresses: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _pinned(addresses)


class _PinnedHTTPS(http.client.HTTPSConnection):
    # TLS still verifies the certificate against the hostname (SNI), not the pinned IP.
    def __init__(self, *args: Any, addresses: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _pinned(addresses)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, addresses: Sequence[str]) -> None:
        super().__init__()
        self._addresses = addresses

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_PinnedHTTP, addresses=self._addresses), req)


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process; building one loads the whole CA bundle."""
    return ssl.create_default_context()


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, addresses: Sequence[str]) -> None:
        # Every request builds an opener; a fresh context each time cost 10-200 ms of CPU.
        self._tls = _tls_context()
        super().__init__(context=self._tls)
        self._addresses = addresses

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_PinnedHTTPS, addresses=self._addresses)
        return self.do_open(factory, req, context=self._tls)


def pinned_opener(addresses: Sequence[str]) -> urllib.request.OpenerDirector:
    """An opener that dials only `addresses`, ignores proxies and never follows redirects.

    Without HTTPErrorProcessor/HTTPRedirectHandler, 3xx/4xx/5xx come back as plain responses,
    so the caller sees every hop and every status itself.
    """
    opener = urllib.request.OpenerDirector()
    opener.add_handler(_HTTPHandler(addresses))
    opener.add_handler(_HTTPSHandler(addresses))
    return opener
