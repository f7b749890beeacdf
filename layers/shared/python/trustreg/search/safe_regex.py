"""User regexes compiled with RE2: matching is linear in the text, so no pattern can hang us.

Python's `re` backtracks, and `(a+)+$` against 30 'a's and a '!' already takes seconds; RE2
builds an automaton instead, so the cost is bounded by pattern size times text size. What is
left to bound is those two sizes and the automaton's memory, which the constants below do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import re2

from trustreg.errors import BadRequest
from trustreg.search.prefilter import METACHARACTERS, literal_prefilter

__all__ = ["MAX_MEM_BYTES", "MAX_PATTERN_CHARS", "MAX_TEXT_CHARS", "UserRegex",
           "compile_user_regex", "literal_prefilter"]  # fmt: skip

# Names and model cards are short; 1000 characters is far beyond any hand-written search and
# keeps compile time and program size small.
MAX_PATTERN_CHARS = 1000
# Only the first 200k characters of a text are searched (a long model card is ~50k), which
# bounds the worst case at a few milliseconds per text.
MAX_TEXT_CHARS = 200_000
# RE2's budget for the compiled program and its DFA cache. Patterns that do not fit are refused
# as too complex; if the DFA cache fills while matching, RE2 falls back to its (still linear) NFA.
MAX_MEM_BYTES = 8 * 1024 * 1024

_SYNTAX_HINT = "patterns use RE2 syntax: no backreferences, lookahead or lookbehind"


@dataclass(frozen=True)
class UserRegex:
    """A compiled user pattern plus, when provable, a literal every match must contain."""

    pattern: str
    literal: str | None
    _compiled: Any
    literal_ignores_case: bool = False  # match `literal` case-insensitively (ILIKE)

    def search(self, text: str) -> bool:
        """Return True if the pattern matches within the first MAX_TEXT_CHARS of `text`."""
        if self._compiled is None:  # plain text: found where it occurs
            return text.find(self.pattern, 0, MAX_TEXT_CHARS) != -1
        return self._compiled.search(text[:MAX_TEXT_CHARS]) is not None


def compile_user_regex(pattern: str) -> UserRegex:
    """Compile a user's pattern with RE2, turning every refusal into a BadRequest."""
    if not pattern:
        raise BadRequest("the regex is empty")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise BadRequest(
            f"the regex is {len(pattern)} characters; the limit is {MAX_PATTERN_CHARS}",
            details={"length": len(pattern), "limit": MAX_PATTERN_CHARS},
        )
    if METACHARACTERS.isdisjoint(pattern):
        # Plain text (most searches: part of a name) matches exactly where it occurs, so a
        # substring test answers as RE2 would, without building an automaton per call: 42 us
        # of a 1-ms search (docs/performance.md, fix 21).
        return UserRegex(pattern, literal_prefilter(pattern), None)
    options = re2.Options()
    options.max_mem = MAX_MEM_BYTES
    options.log_errors = False  # a user's typo is not our error log's business
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as exc:
        raise BadRequest(_explain(exc), details={"pattern": pattern[:100]}) from exc
    literal = literal_prefilter(pattern)
    if literal is None and pattern.startswith("(?i)"):
        # A leading (?i) over a pattern with a required ASCII literal still requires that
        # literal, in any case; ILIKE (served by the trigram index) can prefilter on it.
        rest = literal_prefilter(pattern[4:])
        if rest is not None and rest.isascii():
            return UserRegex(pattern, rest, compiled, literal_ignores_case=True)
    return UserRegex(pattern, literal, compiled)


def _explain(exc: Exception) -> str:
    """Turn RE2's terse error into a message a user can act on."""
    raw = exc.args[0] if exc.args else exc
    reason = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if "repetition" in reason:
        return f"invalid regex ({reason}): repeat counts may be at most 1000, including nesting"
    if "too large" in reason or "out of memory" in reason:
        return "the regex is too complex to run; try a simpler pattern"
    return f"invalid regex ({reason}); {_SYNTAX_HINT}"
