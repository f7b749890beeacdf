"""Demo code in a model card: extraction, normalisation, and the mechanical fixes we allow."""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Callable

from trustreg.rating.card import code_blocks

PYTHON_TAGS = frozenset({"python", "py", "python3", "py3", "ipython", "pycon"})
_PROMPT = re.compile(r"^\s*(>>>|\.\.\.)(?: |$)")
_SHELL = re.compile(r"^\s*[!%]")
_LOOKS_PYTHON = re.compile(r"^\s*(import \w|from [\w.]+ import )", re.MULTILINE)
_PY2_PRINT = re.compile(r"^(\s*)print\s+(?![(\s=])(.+)$", re.MULTILINE)
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def python_blocks(card_text: str) -> list[str]:
    """Python code blocks: tagged python, or untagged ones that start with Python imports."""
    return [
        body
        for tag, body in code_blocks(card_text)
        if tag in PYTHON_TAGS or (tag == "" and _LOOKS_PYTHON.search(body))
    ]


def normalise(code: str) -> str:
    """What a reader would type: REPL prompts stripped (outputs dropped), shell/magic lines gone."""
    lines = code.splitlines()
    if any(line.lstrip().startswith(">>>") for line in lines):
        # In a REPL transcript, lines without a prompt are printed output, not code.
        lines = [_PROMPT.sub("", line, count=1) for line in lines if _PROMPT.match(line)]
    return "\n".join(line for line in lines if not _SHELL.match(line))


def parses(code: str) -> bool:
    """True when the code is syntactically valid Python."""
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Deeply nested input exhausts the parser rather than raising SyntaxError.
        return False
    return True


def _py2_print(code: str) -> str:
    return _PY2_PRINT.sub(r"\1print(\2)", code)


# Fixes a reader applies without understanding the code; anything else is not "mechanical".
MECHANICAL_FIXES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("dedent", textwrap.dedent),
    ("typographic quotes", lambda c: c.translate(_QUOTES)),
    ("tabs to spaces", lambda c: c.expandtabs(4)),
    ("python 2 print statement", _py2_print),
)


def repair(code: str) -> tuple[str, list[str]] | None:
    """The code made parseable by mechanical fixes, with the fixes used; None if none suffice."""
    for name, fix in MECHANICAL_FIXES:
        fixed = fix(code)
        if parses(fixed):
            return fixed, [name]
    combined, used = code, list[str]()
    for name, fix in MECHANICAL_FIXES:
        combined, used = fix(combined), [*used, name]
        if parses(combined):
            return combined, used
    return None
