"""Version queries for search: exact `1.2.3`, inclusive range `1.2.3-2.1.0`, `~1.2`, `^0.2.3`.

Versions are MAJOR[.MINOR[.PATCH]] with an optional leading "v" (git tags); missing parts are 0.
Pre-release versions (`1.0.0-rc1`) are not supported: in a query `-` always means a range, and
`normalize_version` returns None for them, so the registry records release versions only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trustreg.errors import BadRequest

Version = tuple[int, int, int]

_MAX_QUERY_CHARS = 64
_NUMBER = r"\d{1,9}"  # at most 9 digits: no giant ints from user input
_VERSION = re.compile(rf"[vV]?({_NUMBER})(?:\.({_NUMBER}))?(?:\.({_NUMBER}))?")
_TAG_PREFIXES = ("refs/tags/", "release-", "release/", "version-")


@dataclass(frozen=True)
class VersionQuery:
    """A half-open or closed interval of versions: lower <= v and (v < upper or v <= upper)."""

    lower: Version
    upper: Version
    upper_inclusive: bool

    def matches(self, version: str) -> bool:
        """Tell whether `version` falls within the query; unparseable versions never match."""
        parsed = _parse(version)
        if parsed is None:
            return False
        below = parsed <= self.upper if self.upper_inclusive else parsed < self.upper
        return self.lower <= parsed and below


def parse_version_query(q: str) -> VersionQuery:
    """Parse an exact, range, tilde or caret query; raise BadRequest if it is malformed."""
    text = q.strip()
    if not text or len(text) > _MAX_QUERY_CHARS:
        raise BadRequest(f"invalid version query {q[:_MAX_QUERY_CHARS]!r}")
    if text[0] in "~^":
        given = _parts(text[1:], q)
        base = _pad(given)
        # ~ lets only the last given part below MAJOR move (~1 -> <2.0.0, ~1.2.3 -> <1.3.0);
        # ^ keeps the first non-zero given part fixed (^0.2.3 -> <0.3.0, ^0.0.3 -> <0.0.4).
        if text[0] == "~":
            bump = 0 if len(given) == 1 else 1
        else:
            bump = next((i for i, n in enumerate(given) if n != 0), len(given) - 1)
        return VersionQuery(base, _bump(base, bump), upper_inclusive=False)
    if "-" in text:
        low_text, _, high_text = text.partition("-")
        low, high = _pad(_parts(low_text.strip(), q)), _pad(_parts(high_text.strip(), q))
        if low > high:
            raise BadRequest(f"version range {q!r} ends before it starts")
        return VersionQuery(low, high, upper_inclusive=True)
    exact = _pad(_parts(text, q))
    return VersionQuery(exact, exact, upper_inclusive=True)


def normalize_version(tag: str) -> str | None:
    """Return "MAJOR.MINOR.PATCH" for a release tag like "v1.2" or "refs/tags/1.2.3", else None."""
    text = tag.strip()
    for prefix in _TAG_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    text = text.split("+", 1)[0]  # semver build metadata never affects ordering
    parsed = _parse(text)
    return None if parsed is None else "{}.{}.{}".format(*parsed)


def _parse(version: str) -> Version | None:
    """Parse one version, padding missing parts with 0; None if it is not a version."""
    match = _VERSION.fullmatch(version.strip())
    if match is None:
        return None
    return _pad(tuple(int(part) for part in match.groups() if part is not None))


def _parts(text: str, query: str) -> tuple[int, ...]:
    """Return the numbers actually written in one version of a query, or raise BadRequest."""
    match = _VERSION.fullmatch(text)
    if match is None:
        raise BadRequest(
            f"invalid version query {query!r}: expected e.g. 1.2.3, 1.2.3-2.1.0, ~1.2 or ^1.2.0",
            details={"query": query},
        )
    return tuple(int(part) for part in match.groups() if part is not None)


def _pad(parts: tuple[int, ...]) -> Version:
    """Fill missing minor/patch with 0."""
    major, minor, patch = (*parts, 0, 0)[:3]
    return major, minor, patch


def _bump(base: Version, index: int) -> Version:
    """Increment part `index` and zero everything after it (the exclusive upper bound)."""
    bumped = [*base[:index], base[index] + 1, 0, 0][:3]
    return bumped[0], bumped[1], bumped[2]
