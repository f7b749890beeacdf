"""SSRF guard for outbound requests: host allow-list, address vetting and connection pinning.

A host passes when it is on the allow-list and every address it resolves to is public. Hosts the
operator configured (HF_ENDPOINT, GITHUB_API_URL, ALLOWED_SOURCE_HOSTS) may sit on a private
address (a fake hub, a mirror in the VPC); the public defaults we ship never may. The connection
then goes to the vetted address itself, so a second DNS answer (rebinding) cannot redirect it.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

Resolver = Callable[[str, int], list[str]]

# Public hosts the registry knows by default; keep in step with `config.get_settings`.
PUBLIC_DEFAULT_HOSTS = frozenset(
    {
        "huggingface.co",
        "github.com",
        "api.github.com",
        "raw.githubusercontent.com",
        "codeload.github.com",
        "cdn-lfs.huggingface.co",
        "cdn-lfs-us-1.huggingface.co",
        "cdn-lfs-eu-1.huggingface.co",
        "cdn-lfs.hf.co",
        "cdn-lfs-us-1.hf.co",
        "cdn-lfs-eu-1.hf.co",
        "cas-bridge.xethub.hf.co",
        "us.aws.cdn.hf.co",
    }
)


def is_public_address(address: str) -> bool:
    """True when `address` is a globally routable unicast IP (not private, loopback, etc.)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 2002:7f00:1:: (6to4) both lead to an embedded IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            ip = embedded
    blocked = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
    return ip.is_global and not blocked


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


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, addresses: Sequence[str]) -> None:
        super().__init__(context=ssl.create_default_context())
        self._addresses = addresses

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_PinnedHTTPS, addresses=self._addresses)
        return self.do_open(factory, req, context=self._context)


def pinned_opener(addresses: Sequence[str]) -> urllib.request.OpenerDirector:
    """An opener that dials only `addresses`, ignores proxies and never follows redirects.

    Without HTTPErrorProcessor/HTTPRedirectHandler, 3xx/4xx/5xx come back as plain responses,
    so the caller sees every hop and every status itself.
    """
    opener = urllib.request.OpenerDirector()
    opener.add_handler(_HTTPHandler(addresses))
    opener.add_handler(_HTTPSHandler(addresses))
    return opener
