"""Given a regex, When a prefilter literal is derived, Then every match really contains it."""

from __future__ import annotations

import random

import pytest

from trustreg.search.safe_regex import compile_user_regex, literal_prefilter


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        ("bert", "bert"),
        (r"^llama-\d+b$", "llama-"),
        (r"gpt\.2", "gpt.2"),
        (r"ab?cdef", "cdef"),
        (r"xyz+uvw", "uvw"),
        (r"abc{2,3}defg", "defg"),
        (r"(foo|bar)-model", "-model"),
        (r"[a|b]model", "model"),
        (r"\x41\x42model", "model"),
        (r"\p{Greek}bert", "bert"),
        (r"bert{1000}", "ber"),  # "bert" is not a substring of matches such as "berttt"
        (r"ab", None),  # too short to help the database
        (r"bert|gpt", None),  # neither side is required
        (r"(?i)bert", None),  # case-insensitive: the literal's case is not required
        (r"\Qa.b\E", None),
        (r".*", None),
    ],
)
def test_literal_is_derived_conservatively(pattern, literal) -> None:
    assert literal_prefilter(pattern) == literal


# Each pattern with a few strings it matches; the generator splices and mutates them.
_PATTERNS = {
    r"^llama-\d+b$": ["llama-7b", "llama-70b"],
    r"ab?cdef": ["acdef", "abcdef"],
    r"xyz+uvw": ["xyzuvw", "xyzzzuvw"],
    r"(foo|bar)-model": ["foo-model", "bar-model"],
    r"[a|b]model": ["amodel", "|model"],
    r"abc{2,3}defg": ["abccdefg", "abcccdefg"],
    r"mo(de)?lxy": ["molxy", "modelxy"],
    r"a.bcd": ["a bcd", "axbcd"],
    r"(ab)+abc": ["ababc", "abababc"],
    r"[\]x]yyy": ["]yyy", "xyyy"],
    r"abc\.def": ["abc.def"],
    r"q(?:r|s)*tuv": ["qtuv", "qrsrtuv"],
}


def _candidates(examples: list[str], rng: random.Random) -> list[str]:
    """Random splices of matching examples with stray characters: many match, many nearly do."""
    pieces = [*examples, *"abcdxyz.-| 7"]
    for example in examples:
        pieces += [example[i:j] for i in range(len(example)) for j in range(i + 1, len(example))]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 5))) for _ in range(3000)]


@pytest.mark.parametrize(("pattern", "examples"), _PATTERNS.items())
def test_every_match_contains_the_literal(pattern, examples) -> None:
    literal = literal_prefilter(pattern)
    regex = compile_user_regex(pattern)
    rng = random.Random(pattern)  # deterministic per pattern, so failures reproduce
    matched = [text for text in _candidates(examples, rng) if regex.search(text)]
    assert matched, "the generator should produce some matches, or the test proves nothing"
    assert literal is not None  # every pattern above has a provable literal
    assert all(literal in text for text in matched)


def test_given_a_leading_case_flag_then_the_literal_is_kept_case_insensitively():
    from trustreg.search.safe_regex import compile_user_regex

    regex = compile_user_regex("(?i)bert-base")
    assert regex.literal == "bert-base" and regex.literal_ignores_case
    assert regex.search("BERT-Base-Uncased")
    plain = compile_user_regex("bert-base")
    assert plain.literal == "bert-base" and not plain.literal_ignores_case
