r"""Find a literal that every match of a regex must contain, so the database can prefilter.

Soundness over coverage: the scanner understands only a top-level sequence of plain characters,
escaped punctuation, bracket classes and groups. Anything it is unsure about ends the current
literal run, and anything that could make a run optional (a top-level `|`, flags such as `(?i)`,
`\Q...\E` quoting) yields None. The caller must still escape LIKE wildcards (% and _).
"""

from __future__ import annotations

import re

MIN_LITERAL = 3
_QUANTIFIERS = "?*+{"
# Characters with a meaning in RE2 syntax; a pattern without any of them is plain text.
METACHARACTERS = frozenset("\\.^$|?*+()[]{}")
_FLAG_GROUP = re.compile(r"\(\?[^:P<]")


def literal_prefilter(pattern: str) -> str | None:
    """Return the longest literal (>= 3 chars) every match must contain, or None if unsure."""
    if "\\Q" in pattern or _FLAG_GROUP.search(pattern):
        return None
    runs = _literal_runs(pattern)
    if runs is None:
        return None
    best = max(runs, key=len, default="")
    return best if len(best) >= MIN_LITERAL else None


def _literal_runs(pattern: str) -> list[str] | None:
    """Split the top level into runs of required literal text; None on a top-level `|`."""
    runs: list[str] = []
    run: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "|":
            return None
        if char in "([":
            end = _skip_group(pattern, i) if char == "(" else _skip_class(pattern, i)
            if end is None:
                return None
            runs.append("".join(run))
            run, i = [], end
            continue
        if char == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            literal, i = pattern[i + 1], i + 2
        elif char == "\\":
            literal, i = None, _skip_escape(pattern, i)  # \d, \x41, \p{Greek}, \b ...
        elif char == "{":
            close = pattern.find("}", i)  # a repeat count "{2,5}" is not literal text
            literal, i = None, (close + 1 if close != -1 else i + 1)
        elif char in METACHARACTERS:
            literal, i = None, i + 1
        else:
            literal, i = char, i + 1
        if literal is not None and i < len(pattern) and pattern[i] in _QUANTIFIERS:
            literal = None  # "ab?c" does not require "abc", and "ab+c" matches "abbc"
        if literal is None:
            runs.append("".join(run))
            run = []
        else:
            run.append(literal)
    runs.append("".join(run))
    return runs


def _skip_escape(pattern: str, start: int) -> int:
    r"""Return the index just past an alphanumeric escape such as \d, \x{41} or \pL."""
    i = start + 1
    kind = pattern[i : i + 1]
    if kind in ("x", "p", "P"):
        if pattern[i + 1 : i + 2] == "{":
            close = pattern.find("}", i)
            return close + 1 if close != -1 else len(pattern)
        return i + (3 if kind == "x" else 2)
    if kind.isdigit():
        while i < len(pattern) and pattern[i].isdigit():
            i += 1
        return i
    return i + 1


def _skip_group(pattern: str, start: int) -> int | None:
    """Return the index just past the group opened at `start`, or None if unbalanced."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            end = _skip_class(pattern, i)
            if end is None:
                return None
            i = end
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        i += 1
        if depth == 0:
            return i
    return None


def _skip_class(pattern: str, start: int) -> int | None:
    """Return the index just past the bracket class opened at `start`, or None."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1  # a leading "]" is a literal member, not the end
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
        elif pattern[i] == "[" and pattern[i + 1 : i + 2] == ":":
            close = pattern.find(":]", i + 2)
            if close == -1:
                return None
            i = close + 2
        elif pattern[i] == "]":
            return i + 1
        else:
            i += 1
    return None
