"""Given a user's regex, When compiled with RE2, Then it either runs in linear time or is a 400."""

from __future__ import annotations

import time

import pytest

from trustreg.errors import BadRequest
from trustreg.search.safe_regex import MAX_PATTERN_CHARS, MAX_TEXT_CHARS, compile_user_regex

_HOSTILE_TEXT = "a" * 100_000 + "!"


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("bert", "tiny-bert-uncased", True),
        ("^bert", "tiny-bert", False),
        (r"(?i)LLAMA-\d+b", "llama-7b", True),
        (r"\p{Greek}+", "αβγ model", True),
        ("[[:digit:]]{3}", "gpt-2", False),
    ],
)
def test_ordinary_patterns_match_like_a_regex_should(pattern, text, expected) -> None:
    assert compile_user_regex(pattern).search(text) is expected


@pytest.mark.parametrize(
    "pattern", [r"(a+)+$", r"(a|aa)+$", r"(.*a){20}$", r"(a*)*b", r"(\w+\s?)+$"]
)
def test_catastrophic_backtracking_patterns_return_promptly(pattern) -> None:
    regex = compile_user_regex(pattern)
    started = time.monotonic()
    assert regex.search(_HOSTILE_TEXT) is False
    assert time.monotonic() - started < 5  # a generous ceiling: only a hang can exceed it


@pytest.mark.parametrize(
    "pattern", [r"(a{1,99999}){1,99999}$", r"a{1001}", r"((a{1,100}){1,100}){1,100}"]
)
def test_huge_repetition_counts_are_400_with_the_rule(pattern) -> None:
    with pytest.raises(BadRequest, match="repeat counts may be at most 1000") as caught:
        compile_user_regex(pattern)
    assert caught.value.status == 400


@pytest.mark.parametrize("pattern", [r"(?=model)\w+", r"(?<=v)\d", r"(?!x)y", r"(a)\1"])
def test_perl_only_features_are_400_naming_re2(pattern) -> None:
    with pytest.raises(BadRequest, match="RE2 syntax"):
        compile_user_regex(pattern)


@pytest.mark.parametrize("pattern", ["(", "[a-", "*a"])
def test_malformed_patterns_are_400(pattern) -> None:
    with pytest.raises(BadRequest, match="invalid regex"):
        compile_user_regex(pattern)


def test_empty_pattern_is_400() -> None:
    with pytest.raises(BadRequest, match="empty"):
        compile_user_regex("")


def test_overlong_pattern_is_400() -> None:
    with pytest.raises(BadRequest, match=f"the limit is {MAX_PATTERN_CHARS}"):
        compile_user_regex("a" * (MAX_PATTERN_CHARS + 1))


def test_pattern_too_big_for_the_memory_budget_is_400() -> None:
    # Every letter class in Unicode, repeated 1000 times, does not fit RE2's 8 MiB budget.
    with pytest.raises(BadRequest, match="too complex"):
        compile_user_regex(r"\pL{1000}")


def test_only_the_first_max_text_chars_are_searched() -> None:
    regex = compile_user_regex("needle")
    assert regex.search("x" * (MAX_TEXT_CHARS - 10) + "needle") is True
    assert regex.search("x" * MAX_TEXT_CHARS + "needle") is False


def test_compiled_regex_carries_its_prefilter_literal() -> None:
    assert compile_user_regex(r"^llama-\d+").literal == "llama-"
    assert compile_user_regex(r"a|b").literal is None


PLAIN = [
    "bert",
    "bert-base-unc",
    "a b",
    "x",
    "née",
    "🤗 hub",
    "line\nbreak",
    "tab\there",
    "a\x00b",
    "#1",
]
TEXTS = ["", "bert-base-uncased", "BERT", "a b c", "x", "la née", "🤗 hub model", "line\nbreak",
         "tab\there", "a\x00b", "issue #1", "nothing here"]  # fmt: skip


@pytest.mark.parametrize("pattern", PLAIN)
def test_plain_text_patterns_match_exactly_where_re2_would(pattern) -> None:
    import re2

    regex = compile_user_regex(pattern)
    reference = re2.compile(pattern)
    for text in TEXTS:
        assert regex.search(text) is (reference.search(text) is not None), (pattern, text)
    assert regex.literal == (pattern if len(pattern) >= 3 else None)


def test_plain_text_across_the_searched_prefix_is_not_found() -> None:
    regex = compile_user_regex("needle")
    assert regex.search("x" * (MAX_TEXT_CHARS - 3) + "needle") is False
