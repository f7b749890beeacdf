"""Given license strings, normalisation, LGPL scoring and the compatibility table hold."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trustreg.rating.inputs import RatingInputs
from trustreg.rating.licenses import (
    check_compatibility,
    lgpl_compatibility,
    license_category,
    normalize_spdx,
)
from trustreg.rating.metrics import license


@pytest.mark.parametrize(
    ("raw", "spdx", "category"),
    [
        ("apache-2.0", "Apache-2.0", "permissive"),
        ("Apache 2.0", "Apache-2.0", "permissive"),
        ("mit", "MIT", "permissive"),
        ("bsd-3-clause", "BSD-3-Clause", "permissive"),
        ("cc-by-nc-4.0", "CC-BY-NC-4.0", "non_commercial"),
        ("openrail", "OpenRAIL", "rail"),
        ("creativeml-openrail-m", "CreativeML-OpenRAIL-M", "rail"),
        ("llama2", "llama2", "llama_style"),
        ("llama3", "llama3", "llama_style"),
        ("gemma", "gemma", "llama_style"),
        ("other", "other", "other"),
        ("unknown", "unknown", "unknown"),
        (None, "unknown", "unknown"),
        ("LGPL-2.1", "LGPL-2.1-only", "weak_copyleft"),
        ("gpl-3.0", "GPL-3.0-only", "strong_copyleft"),
        ("agpl-3.0", "AGPL-3.0-only", "network_copyleft"),
        ("NOASSERTION", "other", "other"),
        ("license:mit", "MIT", "permissive"),
        ("some-custom-eula", "other", "other"),
    ],
)
def test_given_alias_then_normalised_and_categorised(
    raw: str | None, spdx: str, category: str
) -> None:
    assert normalize_spdx(raw) == spdx
    assert license_category(raw) == category


@pytest.mark.parametrize(
    ("spdx", "low", "high"),
    [
        ("LGPL-2.1-only", 1.0, 1.0),
        ("mit", 1.0, 1.0),
        ("mpl-2.0", 0.6, 0.9),
        ("gpl-3.0", 0.4, 0.6),
        ("openrail", 0.5, 0.7),
        ("llama3", 0.4, 0.6),
        ("cc-by-nc-4.0", 0.0, 0.0),
        ("unknown", 0.0, 0.0),
        ("other", 0.0, 0.2),
    ],
)
def test_given_license_then_lgpl_score_in_band(spdx: str, low: float, high: float) -> None:
    score, reason = lgpl_compatibility(spdx)
    assert low <= score <= high and reason


# (code license, model license, compatible) — the table in docs/metrics.md
TABLE = [
    ("MIT", "apache-2.0", True),
    ("MIT", "openrail", True),
    ("MIT", "llama3", True),
    ("Apache-2.0", "gpl-3.0", True),
    ("LGPL-2.1", "creativeml-openrail-m", True),
    ("MIT", "cc-by-nc-4.0", False),
    ("GPL-3.0", "cc-by-nc-4.0", False),
    ("GPL-3.0", "mit", True),
    ("GPL-3.0", "openrail", False),
    ("GPL-3.0", "llama2", False),
    ("GPL-2.0-only", "apache-2.0", False),
    ("AGPL-3.0", "gpl-3.0", True),
    ("MIT", "other", False),
    ("unknown", "mit", False),
    ("MIT", None, False),
    ("cc-by-nc-4.0", "mit", False),
]


@pytest.mark.parametrize(("code", "model", "expected"), TABLE)
def test_given_pair_then_compatibility_follows_table(
    code: str, model: str | None, expected: bool
) -> None:
    ok, reason = check_compatibility(code, model)
    assert ok is expected, reason
    assert reason


def test_given_non_commercial_model_then_license_metric_is_zero(
    non_commercial: RatingInputs,
) -> None:
    result = license.compute(non_commercial)
    assert result.score == 0.0
    assert result.evidence["spdx"] == "CC-BY-NC-4.0"


def test_given_other_without_link_then_low(other_license: RatingInputs) -> None:
    result = license.compute(other_license)
    assert result.score <= 0.1 and "without license_name" in result.reason


def test_given_other_with_link_then_reviewable_but_low(other_license: RatingInputs) -> None:
    meta = {**other_license.card_metadata, "license_link": "LICENSE.md", "license_name": "acme"}
    assert license.compute(replace(other_license, card_metadata=meta)).score == 0.3


def test_given_only_hf_tag_then_tag_is_used(bare: RatingInputs) -> None:
    result = license.compute(replace(bare, hf_info={"tags": ["license:mit"]}))
    assert result.score == 1.0 and result.evidence["used"] == "hf_tag"
