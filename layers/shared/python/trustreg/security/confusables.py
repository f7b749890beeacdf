"""Name normalisation for confusion checks: separators, look-alike glyphs, edit distance."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cyrillic and Greek letters that render like Latin ones, plus digit/letter look-alikes.
# `i`, `l`, `1` and `|` collapse together because `I` (capital i) and `l` look the same in most
# fonts once case is folded away.
_GLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "l", "ї": "l", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ɡ": "g", "ο": "o", "α": "a", "β": "b", "ε": "e", "ι": "l",
        "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "η": "n",
        "0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "$": "s",
    }
)  # fmt: skip
_DIGRAPHS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_SEPARATORS = re.compile(r"[\s\-_.]+")
# Tokens that name a size, casing or version of the same family: `bert-large-cased` next to
# `bert-large-uncased` is a sibling, not a typo, even though it is two edits away.
_VARIANT = re.compile(
    r"^(un)?cased$|^(tiny|mini|small|base|medium|large|xl|xxl|huge)$|^v?\d+(\.\d+)*[bmk]?$"
)


def fold(name: str) -> str:
    """NFKC + casefold: what a human reading the name would consider the same text."""
    return unicodedata.normalize("NFKC", name).casefold()


def tokens(name: str) -> list[str]:
    """The separator-delimited words of a folded name."""
    return [t for t in _SEPARATORS.split(fold(name)) if t]


def is_variant(a: str, b: str) -> bool:
    """True when two names differ only in one size/casing/version token (siblings)."""
    ta, tb = tokens(a), tokens(b)
    if len(ta) != len(tb) or len(ta) < 2:
        return False
    diff = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return len(diff) == 1 and all(_VARIANT.match(t) for t in diff[0])


@lru_cache(maxsize=16384)
def squash(name: str) -> str:
    """`fold` without separators, so `bert_base`, `bert-base` and `BertBase` coincide."""
    return _SEPARATORS.sub("", fold(name))


@lru_cache(maxsize=16384)
def skeleton(name: str) -> str:
    """`squash` with look-alike glyphs mapped to one representative each."""
    text = squash(name).translate(_GLYPHS)
    for pair, single in _DIGRAPHS:
        text = text.replace(pair, single)
    return text


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment); returns limit + 1 once above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:  # every path is already too long
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)
