"""Results a model card reports in its markdown: benchmark tables and metrics stated in prose."""

from __future__ import annotations

import re

from trustreg.rating import card

METRIC_WORDS: tuple[str, ...] = (
    "accuracy",
    "f1",
    "bleu",
    "rouge",
    "exact match",
    "perplexity",
    "wer",
    "mmlu",
    "precision",
    "recall",
    "auc",
    "score",
    "map",
    "glue",
    "squad",
    "benchmark",
    "eval",
    "pass@",
    "top-1",
    "top1",
    "top-5",
    "hellaswag",
    # Benchmark names used as table headers with no metric word (GLUE tables list only tasks).
    "mnli",
    "qqp",
    "qnli",
    "sst-2",
    "cola",
    "sts-b",
    "mrpc",
    "imagenet",
)
RESULT_HEADINGS: tuple[str, ...] = ("evaluation", "results", "benchmark", "performance")
# "an F1 score of 86.9", "exact match of 79.1", "top-1 accuracy: 76.1%": a metric, then a number.
_STATED = re.compile(
    r"\b(accuracy|f1|exact match|em|bleu|rouge[-\w]*|wer|perplexity|precision|recall|auc|"
    r"top-?[15](?: accuracy)?)\b[^.\n|\d]{0,30}?(\d+(?:\.\d+)?)\s*%?",
    re.IGNORECASE,
)
_NUMBER_CELL = re.compile(r"^\s*\d+(?:\.\d+)?\s*%?(?:\s*/\s*\d+(?:\.\d+)?)?\s*$")


def benchmark_tables(text: str) -> list[str]:
    """Markdown tables that mention a metric or benchmark and contain digits."""
    return [
        t
        for t in card.tables(text)
        if card.mentions(t, METRIC_WORDS) and any(ch.isdigit() for ch in t)
    ]


def table_numbers(table: str) -> int:
    """Numeric cells of a table (header and rule rows excluded)."""
    rows = table.splitlines()[2:]
    return sum(
        1 for row in rows for cell in row.strip().strip("|").split("|") if _NUMBER_CELL.match(cell)
    )


def stated_results(text: str) -> list[str]:
    """Metric-and-number statements in the prose of results sections ("F1 score of 86.9")."""
    found: list[str] = []
    for body in card.section_bodies(text, RESULT_HEADINGS):
        for line in body.splitlines():
            if "|" in line:
                continue  # table rows are counted as tables
            found += [f"{m.group(1)} {m.group(2)}" for m in _STATED.finditer(line)]
    return found
