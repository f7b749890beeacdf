"""Given weights and demo code, size_score and reproducibility follow their documented rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trustreg.rating.inputs import RatingInputs, RepoFile
from trustreg.rating.metrics import reproducibility, size_score

GB = 1_000_000_000
ID = "acme-labs/tiny-sentiment"


def test_given_huge_model_then_low_on_small_devices_high_on_server(huge: RatingInputs) -> None:
    result = size_score.compute(huge)
    assert result.devices is not None
    assert result.devices["raspberry_pi"] == 0.0 and result.devices["jetson_nano"] == 0.0
    assert result.devices["aws_server"] == 1.0
    # safetensors preferred: the duplicate .bin shards are not counted
    assert result.evidence["weight_bytes"] == 20 * GB
    assert result.evidence["format"] == "safetensors"


def test_given_small_model_then_high_everywhere(good: RatingInputs) -> None:
    devices = size_score.compute(good).devices
    assert devices is not None and set(devices.values()) == {1.0}


@pytest.mark.parametrize(("gb", "expected"), [(0.5, 1.0), (1.0, 0.5), (1.25, 0.25), (1.5, 0.0)])
def test_given_budget_ratio_then_curve(gb: float, expected: float) -> None:
    assert size_score.device_score(int(gb * GB), GB) == pytest.approx(expected)


def test_given_gguf_quantisations_then_smallest_variant_counts(bare: RatingInputs) -> None:
    files = (RepoFile("m.Q4_K_M.gguf", 4 * GB), RepoFile("m.Q8_0.gguf", 8 * GB))
    assert size_score.compute(replace(bare, files=files)).evidence["weight_bytes"] == 4 * GB


def _demo(inputs: RatingInputs, code: str, files: tuple[RepoFile, ...] = ()) -> float:
    card = f"# Usage\n```python\n{code}\n```\n"
    return reproducibility.compute(replace(inputs, card_text=card, files=files)).score


def test_given_repl_demo_loading_this_model_then_one(good: RatingInputs) -> None:
    assert reproducibility.compute(good).score == 1.0


def test_given_syntax_error_demo_then_zero(syntax_error_demo: RatingInputs) -> None:
    # Rule: an unbalanced bracket is not a mechanical fix.
    assert reproducibility.compute(syntax_error_demo).score == 0.0


def test_given_typographic_quotes_then_half(good: RatingInputs) -> None:
    code = f'from transformers import pipeline\np = pipeline(\u201ctext\u201d, model="{ID}")'
    assert _demo(good, code) == 0.5


def test_given_python2_print_then_half(good: RatingInputs) -> None:
    code = f'from transformers import AutoModel\nm = AutoModel.from_pretrained("{ID}")\nprint m'
    assert _demo(good, code) == 0.5


def test_given_other_model_id_then_half(good: RatingInputs) -> None:
    code = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("bert-base-cased")'
    assert _demo(good, code) == 0.5


def test_given_code_not_loading_any_model_then_zero(good: RatingInputs) -> None:
    assert _demo(good, "import numpy as np\nprint(np.zeros(3))") == 0.0


def test_given_unknown_package_then_half(good: RatingInputs) -> None:
    code = f'import acme_secret_sdk\nacme_secret_sdk.load("{ID}")'
    assert _demo(good, code) == 0.5


def test_given_local_module_and_file_in_repo_then_one(good: RatingInputs) -> None:
    code = (
        f'from modeling_tiny import Tiny\nm = Tiny.from_pretrained("{ID}")\n'
        'm.load_vocab("vocab.json")'
    )
    files = (RepoFile("modeling_tiny.py", 100), RepoFile("vocab.json", 10))
    assert _demo(good, code, files) == 1.0
    assert _demo(good, code, files[:1]) == 0.5


def test_given_pip_line_and_magic_then_stripped(good: RatingInputs) -> None:
    code = (
        "!pip install transformers\n%time\nfrom transformers import pipeline\n"
        f'pipeline(model="{ID}")'
    )
    assert _demo(good, code) == 1.0


def test_given_no_card_then_zero(bare: RatingInputs) -> None:
    assert reproducibility.compute(bare).score == 0.0
