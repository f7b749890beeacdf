"""How the local runner cuts a check off from the network: a namespace when the kernel allows."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

# A new user namespace drops the host capabilities even when the registry runs as root; the
# network namespace has only a downed loopback; the pid namespace stops signals to our
# processes; --kill-child takes the program down with unshare when we kill the group.
UNSHARE_FLAGS = ("--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child")
NETNS = "netns"
STUBS = "stubs"


@lru_cache(maxsize=1)
def namespace_prefix() -> tuple[str, ...] | None:
    """The `unshare ...` argv prefix when it works on this host, else None (probed once)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    prefix = (unshare, *UNSHARE_FLAGS)
    try:
        probe = subprocess.run(  # noqa: S603 - fixed argv, no user input
            [*prefix, "true"], capture_output=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return prefix if probe.returncode == 0 else None


def choose(mode: str) -> tuple[str, tuple[str, ...]]:
    """Resolve "auto" | "netns" | "stubs" to (mode, argv prefix); "netns" fails if unavailable."""
    if mode not in {"auto", NETNS, STUBS}:
        raise ValueError(f"unknown network isolation mode {mode!r}")
    if mode == STUBS:
        return STUBS, ()
    prefix = namespace_prefix()
    if prefix is not None:
        return NETNS, prefix
    if mode == NETNS:
        raise RuntimeError("network namespaces (unshare) are not available on this host")
    return STUBS, ()
