"""Password hashing with bcrypt; the cost comes from configuration (BCRYPT_ROUNDS)."""

from __future__ import annotations

from functools import lru_cache

import bcrypt

from trustreg.config import get_settings
from trustreg.errors import BadRequest

MAX_PASSWORD_BYTES = 72  # bcrypt ignores everything past 72 bytes; we refuse instead.


def check_password_length(password: str) -> bytes:
    """The password as bytes; BadRequest when bcrypt would silently truncate it."""
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise BadRequest(f"password is longer than {MAX_PASSWORD_BYTES} bytes")
    return raw


def hash_password(password: str) -> str:
    """A bcrypt hash of the password at the configured cost."""
    raw = check_password_length(password)
    return bcrypt.hashpw(raw, bcrypt.gensalt(rounds=get_settings().bcrypt_rounds)).decode()


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> str:
    """A real hash to compare against when the user does not exist, at the configured cost.

    At a fixed low cost an unknown name answered in ~1 ms and a known one in ~250 ms (cost 12),
    which told an attacker which names exist.
    """
    return bcrypt.hashpw(b"no-such-user", bcrypt.gensalt(rounds=rounds)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when the password matches the hash (constant-time in bcrypt)."""
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES:
        return False
    try:
        stored = password_hash or _dummy_hash(get_settings().bcrypt_rounds)
        return bcrypt.checkpw(raw, stored.encode()) and bool(password_hash)
    except ValueError:
        return False
