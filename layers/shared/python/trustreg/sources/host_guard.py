"""Which upstream hosts we may fetch from: the allow-list and the public-address rule.

A host passes when it is on the allow-list and every address it resolves to is public. Hosts the
operator configured (HF_ENDPOINT, GITHUB_API_URL, ALLOWED_SOURCE_HOSTS) may sit on a private
address (a fake hub, a mirror in the VPC); the public defaults we ship never may, so DNS cannot
turn huggingface.co into 169.254.169.254.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from trustreg.errors import BadRequest, UpstreamError

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


@dataclass(frozen=True)
class HostGuard:
    """The allow-list, the hosts trusted on private addresses, and how to resolve names."""

    allowed: frozenset[str]
    trusted: frozenset[str]
    resolver: Resolver
    # A trusted host on a private address is reachable only on the ports configured for it
    # (the endpoints' own ports); no entry means the scheme's default port only.
    trusted_ports: dict[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def from_hosts(
        cls, hosts: Iterable[str], resolver: Resolver, endpoints: Iterable[str] = ()
    ) -> HostGuard:
        """A guard for `settings.allowed_source_hosts`: any host beyond our defaults is trusted."""
        allowed = frozenset(h.lower() for h in hosts)
        ports: dict[str, set[int]] = {}
        for endpoint in endpoints:
            parts = urlsplit(endpoint)
            if parts.hostname:
                default = 443 if parts.scheme == "https" else 80
                ports.setdefault(parts.hostname.lower(), set()).add(parts.port or default)
        frozen = {h: frozenset(p) for h, p in ports.items()}
        return cls(allowed, allowed - PUBLIC_DEFAULT_HOSTS, resolver, frozen)


def vet_url(url: str, guard: HostGuard, *, redirected: bool) -> list[str]:
    """The addresses to dial for `url`, or BadRequest (UpstreamError for a redirect hop)."""
    error = UpstreamError if redirected else BadRequest
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        raise error(f"refusing to fetch {url!r}: only http(s) URLs with a host")
    if host not in guard.allowed:
        raise error(
            f"refusing to fetch from {host}: not an allowed source host",
            details={"url": url, "allowed": sorted(guard.allowed)},
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = guard.resolver(host, port)
    public = all(is_public_address(a) for a in addresses)
    if (
        not public
        and host in guard.trusted
        and port not in guard.trusted_ports.get(host, {80, 443})
    ):
        raise error(
            f"refusing to fetch from {host}:{port}: not a configured port of that host",
            details={"url": url},
        )
    if host not in guard.trusted and not public:
        raise error(
            f"refusing to fetch from {host}: it resolves to a non-public address",
            details={"url": url},
        )
    return addresses
