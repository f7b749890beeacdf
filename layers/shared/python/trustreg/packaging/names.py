"""Entry-name rules: an accepted name can be joined to any folder without leaving it."""

from __future__ import annotations

import re

from trustreg.errors import BadRequest

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_entry_name(name: str, max_bytes: int) -> None:
    """Raise BadRequest unless `name` is a plain relative path with forward slashes."""
    if not name or name == "/":
        raise BadRequest("zip entry has an empty name", details={"entry": name})
    if len(name.encode("utf-8", "surrogatepass")) > max_bytes:
        raise BadRequest(
            f"zip entry name is longer than {max_bytes} bytes", details={"entry": name[:80]}
        )
    if _CONTROL.search(name):
        raise BadRequest(f"zip entry {name!r} contains control characters", details={"entry": name})
    # Windows tools treat "\" as a separator, so "..\\x" escapes there even though it is one
    # segment here; rejecting backslashes outright is simpler than reasoning per platform.
    if "\\" in name:
        raise BadRequest(f"zip entry {name!r} contains a backslash", details={"entry": name})
    if name.startswith("/") or _DRIVE.match(name):
        raise BadRequest(f"zip entry {name!r} is an absolute path", details={"entry": name})
    segments = (name[:-1] if name.endswith("/") else name).split("/")
    if ".." in segments:
        raise BadRequest(f"zip entry {name!r} escapes the package", details={"entry": name})
    # "a/./b" and "a//b" are aliases of "a/b": refusing them keeps the duplicate check honest.
    if any(segment in ("", ".") for segment in segments):
        raise BadRequest(
            f"zip entry {name!r} has an empty or '.' path segment", details={"entry": name}
        )


def check_unique(names: list[str]) -> None:
    """Raise BadRequest on duplicate names or a name used both as a file and a folder."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise BadRequest(f"zip entry {name!r} appears more than once", details={"entry": name})
        seen.add(name)
    files = {name for name in names if not name.endswith("/")}
    for name in names:
        is_dir = name.endswith("/")
        parts = (name[:-1] if is_dir else name).split("/")
        # A folder entry "a/" clashes with a file "a" itself, not only with its parents.
        for depth in range(1, len(parts) + int(is_dir)):
            parent = "/".join(parts[:depth])
            if parent in files:
                raise BadRequest(
                    f"zip entry {parent!r} is both a file and a folder", details={"entry": parent}
                )
