"""reproducibility: whether the card's demo code would run as written (checked statically)."""

from __future__ import annotations

import ast
from typing import Any

from trustreg.rating import snippet_checks as checks
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import MetricResult
from trustreg.rating.snippets import normalise, parses, python_blocks, repair

RUNS, RUNS_AFTER_FIX, DOES_NOT_RUN = 1.0, 0.5, 0.0


def _names(inputs: RatingInputs) -> list[str]:
    names = [inputs.name]
    if inputs.model_id:
        names += [inputs.model_id, inputs.model_id.rsplit("/", 1)[-1]]
    return names


def _local(inputs: RatingInputs) -> tuple[set[str], set[str]]:
    paths = {f.path for f in inputs.files}
    basenames = {p.rsplit("/", 1)[-1] for p in paths}
    modules = {b[:-3] for b in basenames if b.endswith(".py")}
    return paths | basenames, modules


def classify(code: str, inputs: RatingInputs) -> tuple[float, list[str]]:
    """Score one normalised snippet and list what kept it from a full score."""
    issues: list[str] = []
    if not parses(code):
        repaired = repair(code)
        if repaired is None:
            return DOES_NOT_RUN, ["syntax error that no mechanical fix repairs"]
        code, fixes = repaired
        issues.append("needs " + ", ".join(fixes))
    facts = checks.analyse(ast.parse(code))
    if not checks.mentions_model(facts, _names(inputs)):
        if facts.loader_calls == 0:
            return DOES_NOT_RUN, ["does not load any model"]
        issues.append("loads a different model id (substitute this one)")
    files, modules = _local(inputs)
    if unknown := checks.unknown_imports(facts, modules | facts.relative_imports):
        issues.append("imports packages outside the allow-list: " + ", ".join(unknown))
    if missing := [f for f in checks.referenced_files(facts) if f not in files]:
        issues.append("references files not in the repository: " + ", ".join(missing))
    if facts.unimported_modules:
        issues.append("uses without importing: " + ", ".join(sorted(facts.unimported_modules)))
    return (RUNS_AFTER_FIX if issues else RUNS), issues


def compute(inputs: RatingInputs) -> MetricResult:
    """1 if some demo runs as written, 0.5 after a mechanical fix, 0 if none or it cannot run."""
    blocks = [normalise(b) for b in python_blocks(inputs.card_text)]
    blocks = [b for b in blocks if b.strip()]
    if not blocks:
        return MetricResult(DOES_NOT_RUN, "no python demo code in the card", {"blocks": 0})
    # Each block alone, and all blocks as one program (demos often split setup and use).
    candidates = [*blocks, "\n".join(blocks)] if len(blocks) > 1 else blocks
    outcomes: list[dict[str, Any]] = []
    for i, code in enumerate(candidates):
        score, issues = classify(code, inputs)
        label = f"block {i + 1}" if i < len(blocks) else "all blocks"
        outcomes.append({"candidate": label, "score": score, "issues": issues})
    best = max(outcomes, key=lambda o: o["score"])
    if best["score"] == RUNS:
        reason = f"{best['candidate']} loads this model and passes every static check"
    else:
        reason = f"{best['candidate']}: " + "; ".join(best["issues"])
    return MetricResult(best["score"], reason, {"blocks": len(blocks), "candidates": outcomes})
