"""RatingInputs fixtures: documented, bare, license cases, lineage, huge and broken-demo models."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trustreg.rating.inputs import (
    DatasetEvidence,
    GitHubEvidence,
    PullRequestEvidence,
    RatingInputs,
    RepoFile,
)

MB, GB = 1_000_000, 1_000_000_000
MODEL_ID = "acme-labs/tiny-sentiment"

GOOD_CARD = f"""# Tiny Sentiment

Tiny Sentiment is a compact English sentiment classifier distilled from a larger teacher model.
It labels short texts as positive or negative and is meant for moderation dashboards and for
product-review triage where latency matters more than the last point of accuracy. {"More. " * 20}

## Intended uses & limitations

Intended use: English product reviews. Out-of-scope: medical or legal text.

## Limitations and bias

The training reviews over-represent electronics; expect weaker results elsewhere.

## How to use

```python
>>> from transformers import pipeline
>>> classifier = pipeline("text-classification", model="{MODEL_ID}")
>>> classifier("I love this!")
[{{'label': 'POSITIVE', 'score': 0.99}}]
```

## Training data

Trained on [acme-reviews](https://huggingface.co/datasets/acme-labs/acme-reviews).

## Evaluation results

| Dataset | Accuracy | F1 |
|---------|----------|----|
| acme-reviews test | 93.1 | 92.7 |
| sst2 | 91.0 | 90.8 |

## Citation

```bibtex
@article{{acme2024tiny, title={{Tiny Sentiment}}, journal={{arXiv}}, year={{2024}}}}
```
"""

GOOD_METADATA = {
    "license": "apache-2.0",
    "datasets": ["acme-labs/acme-reviews"],
    "model-index": [
        {
            "name": "tiny-sentiment",
            "results": [
                {
                    "task": {"type": "text-classification"},
                    "dataset": {"name": "sst2"},
                    "metrics": [
                        {"type": "accuracy", "value": 0.91},
                        {"type": "f1", "value": 0.908},
                        {"type": "precision", "value": "0.9"},
                    ],
                }
            ],
        }
    ],
}

GOOD_DATASET_CARD = (
    "## Dataset Structure\n### Data Fields\n"
    + "text label " * 100
    + (
        "\n## Dataset Creation\n### Source Data\nScraped with consent.\n"
        "## Considerations\n### Discussion of Biases\nSkewed to electronics.\n" + "x " * 700
    )
)


def _pr(
    number: int, reviewer: str | None, additions: int, *, weights: int = 0
) -> PullRequestEvidence:
    reviews = ({"user": {"login": reviewer}, "state": "APPROVED"},) if reviewer else ()
    files = [{"filename": f"src/mod{number}.py", "additions": additions, "status": "modified"}]
    if weights:
        files.append({"filename": "weights/model.safetensors", "additions": weights})
    return PullRequestEvidence(number, "alice", "2024-05-01T00:00:00Z", reviews, tuple(files))


GOOD_GITHUB = GitHubEvidence(
    owner="acme-labs",
    repo="tiny-sentiment",
    license_spdx="Apache-2.0",
    contributors=tuple(
        {"login": n, "contributions": c, "type": "User"}
        for n, c in [
            ("alice", 30),
            ("bob", 25),
            ("carol", 22),
            ("dan", 20),
            ("erin", 18),
            ("frank", 15),
        ]
    )
    + ({"login": "dependabot[bot]", "contributions": 500, "type": "Bot"},),
    tree_paths=(
        "README.md",
        "pyproject.toml",
        "uv.lock",
        ".github/workflows/ci.yml",
        "ruff.toml",
        "src/tiny/__init__.py",
        "src/tiny/model.py",
        "tests/test_model.py",
    ),
    pulls=(_pr(1, "bob", 100, weights=10_000), _pr(2, "carol", 60), _pr(3, "alice", 40)),
    direct_commit_additions=0,
    sampled_commits=50,
)


@pytest.fixture
def good() -> RatingInputs:
    """A well-documented permissive model with eval results and a reviewed GitHub repo."""
    return RatingInputs(
        name="tiny-sentiment",
        model_id=MODEL_ID,
        card_text=GOOD_CARD,
        card_metadata=GOOD_METADATA,
        files=(
            RepoFile("config.json", 700),
            RepoFile("model.safetensors", 268 * MB),
            RepoFile("pytorch_model.bin", 268 * MB),
            RepoFile("tf_model.h5", 270 * MB),
        ),
        hf_info={"tags": ["license:apache-2.0"], "downloads": 50_000},
        datasets=(
            DatasetEvidence(
                "acme-labs/acme-reviews",
                found=True,
                card_text=GOOD_DATASET_CARD,
                card_metadata={
                    "license": "cc-by-4.0",
                    "task_categories": ["text-classification"],
                    "size_categories": ["10K<n<100K"],
                    "source_datasets": ["original"],
                },
                info={"downloads": 5000, "likes": 40},
            ),
        ),
        github=GOOD_GITHUB,
        code_urls=("https://github.com/acme-labs/tiny-sentiment",),
    )


@pytest.fixture
def bare() -> RatingInputs:
    """A model with no card, no links and no files."""
    return RatingInputs(name="bare", model_id="someone/bare")


@pytest.fixture
def non_commercial(good: RatingInputs) -> RatingInputs:
    """The good model, licensed CC-BY-NC-4.0."""
    return replace(good, card_metadata={**GOOD_METADATA, "license": "cc-by-nc-4.0"}, hf_info={})


@pytest.fixture
def other_license(good: RatingInputs) -> RatingInputs:
    """The good model, licensed 'other' with no license_name or license_link."""
    return replace(good, card_metadata={**GOOD_METADATA, "license": "other"}, hf_info={})


@pytest.fixture
def fine_tune(good: RatingInputs) -> RatingInputs:
    """A fine-tune of one registered base model with net score 0.8."""
    return replace(good, name="tiny-sentiment-ft", parent_net_scores=(0.8,))


@pytest.fixture
def huge(good: RatingInputs) -> RatingInputs:
    """A ~20 GB model in four safetensors shards, with a duplicate pytorch copy."""
    shards = tuple(RepoFile(f"model-0000{i}-of-00004.safetensors", 5 * GB) for i in range(1, 5))
    dup = tuple(RepoFile(f"pytorch_model-0000{i}-of-00004.bin", 5 * GB) for i in range(1, 5))
    return replace(good, files=shards + dup)


@pytest.fixture
def syntax_error_demo(good: RatingInputs) -> RatingInputs:
    """The good model whose only demo is missing a closing parenthesis."""
    demo = (
        f'```python\nfrom transformers import pipeline\nclf = pipeline("x", model="{MODEL_ID}"\n```'
    )
    return replace(good, card_text="# Demo\n\n" + demo)
