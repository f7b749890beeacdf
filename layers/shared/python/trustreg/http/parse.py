"""Field checks for JSON bodies, each failing with a 400 that names the field."""

from __future__ import annotations

from typing import Any, TypeVar

from trustreg.errors import BadRequest

T = TypeVar("T")


def check_text(value: str, label: str) -> str:
    """Refuse text no database column can hold: NUL characters and unpaired surrogates.

    JSON allows both (`"\\u0000"`, `"\\ud800"`); PostgreSQL refuses NUL in text and nothing can
    encode a lone surrogate as UTF-8, so letting them through ends in a 500 instead of a 400.
    """
    if "\x00" in value:
        raise BadRequest(f"'{label}' may not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadRequest(f"'{label}' is not valid Unicode text") from exc
    return value


def require_object(body: dict[str, Any], key: str, label: str | None = None) -> dict[str, Any]:
    """A nested JSON object field."""
    value = body.get(key)
    if not isinstance(value, dict):
        raise BadRequest(f"'{label or key}' is required and must be an object")
    return value


def require_str(
    body: dict[str, Any],
    key: str,
    label: str | None = None,
    *,
    allow_empty: bool = False,
    max_len: int = 4096,
) -> str:
    """A string field (non-empty unless allowed)."""
    value = body.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise BadRequest(f"'{label or key}' is required and must be a non-empty string")
    if len(value) > max_len:
        raise BadRequest(f"'{label or key}' is longer than {max_len} characters")
    return check_text(value, label or key)


def optional_str(body: dict[str, Any], key: str, max_len: int = 4096) -> str | None:
    """A string field that may be absent or null."""
    if body.get(key) is None:
        return None
    return require_str(body, key, max_len=max_len)


def require_bool(body: dict[str, Any], key: str, label: str | None = None) -> bool:
    """A boolean field."""
    value = body.get(key)
    if not isinstance(value, bool):
        raise BadRequest(f"'{label or key}' must be true or false")
    return value


def optional_bool(body: dict[str, Any], key: str, default: T) -> bool | T:
    """A boolean field that may be absent."""
    if key not in body or body[key] is None:
        return default
    return require_bool(body, key)
