"""Reading a model or dataset card's markdown: headings, code blocks, tables, links."""

from __future__ import annotations

import re
from typing import Any

_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^\s*(```|~~~)\s*([\w+-]*)[^\n]*\n(.*?)^\s*\1\s*$", re.MULTILINE | re.DOTALL)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
_BIBTEX = re.compile(r"@(article|inproceedings|misc|book|techreport|inbook)\s*\{", re.IGNORECASE)
_ARXIV = re.compile(r"arxiv\.org/(abs|pdf)/\d{4}\.\d{4,5}|arxiv:\s*\d{4}\.\d{4,5}", re.IGNORECASE)


def headings(text: str) -> list[str]:
    """Lower-cased markdown headings of a card, in order."""
    return [h.strip().lower() for h in _HEADING.findall(text)]


def has_heading(text: str, keywords: tuple[str, ...]) -> bool:
    """True when some heading contains one of the keywords."""
    return any(k in h for h in headings(text) for k in keywords)


def mentions(text: str, keywords: tuple[str, ...]) -> bool:
    """True when the heading or the body text mentions one of the keywords (case-insensitive)."""
    low = text.lower()
    return any(k in low for k in keywords)


def code_blocks(text: str) -> list[tuple[str, str]]:
    """Fenced code blocks as (language tag lower-cased, body)."""
    return [(m.group(2).lower(), m.group(3)) for m in _FENCE.finditer(text)]


def prose(text: str) -> str:
    """The card without code blocks and headings: what a reader reads as description."""
    body = _FENCE.sub("", text)
    return _HEADING.sub("", body).strip()


def table_count(text: str) -> int:
    """Number of markdown tables (counted by their header rule lines)."""
    return len(_TABLE_RULE.findall(text))


def tables(text: str) -> list[str]:
    """Each markdown table with its header row, as raw text."""
    lines = text.splitlines()
    found: list[str] = []
    for i, line in enumerate(lines):
        if i > 0 and _TABLE_RULE.match(line):
            rows = [lines[i - 1], line]
            for nxt in lines[i + 1 :]:
                if "|" not in nxt:
                    break
                rows.append(nxt)
            found.append("\n".join(rows))
    return found


def has_citation(text: str) -> bool:
    """True when the card carries a BibTeX entry or an arXiv reference."""
    return bool(_BIBTEX.search(text) or _ARXIV.search(text))


def as_list(value: Any) -> list[str]:
    """A metadata value that may be a string, a list, or missing, as a list of strings."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None]
    return [str(value)]
