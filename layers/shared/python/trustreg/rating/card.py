"""Reading a model or dataset card's markdown: headings, code blocks, tables, links."""

from __future__ import annotations

import re
from typing import Any

_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_OPEN_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([\w+-]*)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
_BIBTEX = re.compile(r"@(article|inproceedings|misc|book|techreport|inbook)\s*\{", re.IGNORECASE)
_ARXIV = re.compile(r"arxiv\.org/(abs|pdf)/\d{4}\.\d{4,5}|arxiv:\s*\d{4}\.\d{4,5}", re.IGNORECASE)


def headings(text: str) -> list[str]:
    """Lower-cased markdown headings of a card, in order."""
    return [h.strip().lower() for h in _HEADING.findall(text)]


def has_heading(text: str, keywords: tuple[str, ...]) -> bool:
    """True when some heading contains one of the keywords."""
    return any(k in h for h in headings(text) for k in keywords)


_LEVELLED_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
# Dataset-card templates ship every section with this placeholder until someone fills it in.
_PLACEHOLDER = re.compile(r"\[?more information needed\]?(\([^)]*\))?", re.IGNORECASE)
_MIN_SECTION_CHARS = 20


def section_bodies(text: str, keywords: tuple[str, ...]) -> list[str]:
    """Bodies (subsections included) of the sections whose heading contains a keyword."""
    outside = split_fences(text)[1]  # a "#" comment inside a code block is not a heading
    found = list(_LEVELLED_HEADING.finditer(outside))
    bodies: list[str] = []
    for i, m in enumerate(found):
        if not any(k in m.group(2).lower() for k in keywords):
            continue
        level = len(m.group(1))
        end = next((n.start() for n in found[i + 1 :] if len(n.group(1)) <= level), len(outside))
        bodies.append(outside[m.end() : end])
    return bodies


def has_filled_section(text: str, keywords: tuple[str, ...]) -> bool:
    """True when a matching section holds real prose, not only the template's placeholder."""
    for body in section_bodies(text, keywords):
        filled = _PLACEHOLDER.sub("", _HEADING.sub("", body)).strip()
        if len(filled) >= _MIN_SECTION_CHARS:
            return True
    return False


def mentions(text: str, keywords: tuple[str, ...]) -> bool:
    """True when the heading or the body text mentions one of the keywords (case-insensitive)."""
    low = text.lower()
    return any(k in low for k in keywords)


def split_fences(text: str) -> tuple[list[tuple[str, str]], str]:
    """Fenced code blocks as (tag, body) and the text outside them, in one linear pass."""
    # A line scanner, not one regex: cards with many unclosed fences made a regex quadratic.
    blocks: list[tuple[str, str]] = []
    outside: list[str] = []
    fence, tag, body = "", "", list[str]()
    for line in text.splitlines():
        if not fence:
            opened = _OPEN_FENCE.match(line)
            if opened:
                fence, tag, body = opened.group(1), opened.group(2).lower(), []
            else:
                outside.append(line)
        elif line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            blocks.append((tag, "\n".join(body) + "\n"))
            fence = ""
        else:
            body.append(line)
    if fence:  # CommonMark: an unclosed fence runs to the end of the document
        blocks.append((tag, "\n".join(body) + "\n"))
    return blocks, "\n".join(outside)


def code_blocks(text: str) -> list[tuple[str, str]]:
    """Fenced code blocks as (language tag lower-cased, body)."""
    return split_fences(text)[0]


def prose(text: str) -> str:
    """The card without code blocks and headings: what a reader reads as description."""
    return _HEADING.sub("", split_fences(text)[1]).strip()


def table_count(text: str) -> int:
    """Number of markdown tables (counted by their header rule lines)."""
    return len(_TABLE_RULE.findall(text))


def tables(text: str) -> list[str]:
    """Each markdown table with its header row, as raw text."""
    lines = text.splitlines()
    found: list[str] = []
    i = 1
    while i < len(lines):
        if not _TABLE_RULE.match(lines[i]):
            i += 1
            continue
        end = i + 1
        while end < len(lines) and "|" in lines[end]:
            end += 1
        found.append("\n".join(lines[i - 1 : end]))
        i = end + 1  # resume after this table so rows are never rescanned
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
