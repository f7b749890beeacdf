"""Security suite: attacker/victim accounts, a victim's model, and a loopback trap listener.

Every test that takes `api` (or `database`) runs on SQLite and on a real PostgreSQL.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.api.conftest import hub_api  # noqa: F401 - fixture
from tests.api.test_accounts import login_as, register
from tests.support.api_client import ApiClient
from tests.support.artifacts import blob_server, open_gate  # noqa: F401 - fixtures
from tests.support.packages import model_zip, upload_model  # noqa: F401 - shared helper

ALL_PERMS = ["upload", "search", "download"]


def make_account(admin: ApiClient, name: str, perms: list[str] | None = None) -> ApiClient:
    """Register `name` (password `<name>-password`) and return a client logged in as them."""
    r = register(admin, name, ALL_PERMS if perms is None else perms)
    assert r.status == 201, r.body
    return login_as(name)


@dataclass
class Accounts:
    """Two ordinary users with every permission: the victim owns a model, the attacker does not."""

    admin: ApiClient
    victim: ApiClient
    attacker: ApiClient
    model_id: str
    extra: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def accounts(api: ApiClient) -> Accounts:
    victim = make_account(api, "victim")
    attacker = make_account(api, "attacker")
    return Accounts(api, victim, attacker, upload_model(victim, "victim-model"))


@dataclass
class Trap:
    """A TCP listener on a loopback port that only counts who connected."""

    port: int
    hits: list[tuple[str, int]]


@pytest.fixture
def trap() -> Iterator[Trap]:
    """A listener on 127.0.0.1:<free port>; SSRF tests assert nothing ever reaches it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    hits: list[tuple[str, int]] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, peer = sock.accept()
            except OSError:
                continue
            hits.append(peer)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield Trap(sock.getsockname()[1], hits)
    stop.set()
    thread.join(timeout=5)
    sock.close()
