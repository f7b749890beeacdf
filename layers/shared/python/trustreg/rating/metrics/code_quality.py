"""code_quality: engineering hygiene of the linked code repository, read from its file tree."""

from __future__ import annotations

import re

from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import MetricResult, checklist, describe

_TESTS = re.compile(r"(^|/)(tests?|testing)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$")
_CI = re.compile(
    r"^\.github/workflows/[^/]+\.ya?ml$|^\.travis\.yml$|^\.gitlab-ci\.yml$|"
    r"^\.circleci/|^azure-pipelines\.yml$|^Jenkinsfile$|^\.buildkite/"
)
# Only paths are known, not contents: a lock file is the evidence of pinning we can see.
_LOCKS = re.compile(
    r"(^|/)(poetry\.lock|uv\.lock|Pipfile\.lock|pdm\.lock|conda-lock\.ya?ml|"
    r"requirements[^/]*\.lock|constraints[^/]*\.txt)$"
)
_MANIFESTS = re.compile(
    r"^(pyproject\.toml|setup\.py|setup\.cfg|environment\.ya?ml|Pipfile|"
    r"requirements[^/]*\.txt)$"
)
_LINT = re.compile(
    r"(^|/)(\.flake8|ruff\.toml|\.ruff\.toml|\.pylintrc|pylintrc|mypy\.ini|"
    r"\.pre-commit-config\.yaml|\.isort\.cfg|tox\.ini)$"
)
_README = re.compile(r"^readme(\.\w+)?$", re.IGNORECASE)
_PACKAGE = re.compile(r"(^|/)__init__\.py$|^src/")


def compute(inputs: RatingInputs) -> MetricResult:
    """Score tests, CI, dependency pinning, lint config and layout of the linked repository."""
    gh = inputs.github
    if gh is None:
        if inputs.code_urls:  # the card links code we could not read: unknown, so judged as 0
            return MetricResult(
                0.0, "linked repository could not be read", {"code_urls": list(inputs.code_urls)}
            )
        return MetricResult(
            0.0, "no linked code repository to assess (not judged by the gate)", {}, absent=True
        )
    paths = gh.tree_paths
    if not paths:
        return MetricResult(
            0.0,
            "linked repository tree is empty or was not listed",
            {"repo": f"{gh.owner}/{gh.repo}"},
        )
    pinned = any(_LOCKS.search(p) for p in paths)
    declared = pinned or any(_MANIFESTS.match(p) for p in paths)
    score, found = checklist(
        [
            ("tests", 0.25, any(_TESTS.search(p) for p in paths)),
            ("CI config", 0.20, any(_CI.search(p) for p in paths)),
            ("dependencies declared", 0.10, declared),
            ("dependencies pinned", 0.10, pinned),
            ("lint config", 0.15, any(_LINT.search(p) for p in paths)),
            ("README", 0.10, any(_README.match(p) for p in paths)),
            ("package layout", 0.10, any(_PACKAGE.search(p) for p in paths)),
        ]
    )
    evidence = {
        "repo": f"{gh.owner}/{gh.repo}",
        "checks": found,
        "paths": len(paths),
        "truncated": gh.truncated,
    }
    return MetricResult(score, "code " + describe(found), evidence)
