"""Search helpers: user-supplied regular expressions (RE2) and version-range queries."""

from trustreg.search.prefilter import literal_prefilter
from trustreg.search.safe_regex import UserRegex, compile_user_regex
from trustreg.search.versions import VersionQuery, normalize_version, parse_version_query

__all__ = [
    "UserRegex",
    "VersionQuery",
    "compile_user_regex",
    "literal_prefilter",
    "normalize_version",
    "parse_version_query",
]
