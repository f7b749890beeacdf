"""License scoring against LGPL-2.1 and the code-vs-model compatibility table.

The organisation ships under LGPL-2.1; "usable" below means an organisation may fine-tune the
model and serve inference/generation with it (commercial use included). docs/metrics.md carries
the same table in prose; change both together.
"""

from __future__ import annotations

from trustreg.rating.spdx import (
    LLAMA_STYLE,
    NETWORK_COPYLEFT,
    NON_COMMERCIAL,
    OTHER,
    PERMISSIVE,
    RAIL,
    STRONG_COPYLEFT,
    UNKNOWN,
    WEAK_COPYLEFT,
    license_category,
    normalize_spdx,
)

__all__ = ["check_compatibility", "lgpl_compatibility", "license_category", "normalize_spdx"]

_LGPL_SCORES: dict[str, tuple[float, str]] = {
    PERMISSIVE: (1.0, "permissive: can be combined with LGPL-2.1 work"),
    WEAK_COPYLEFT: (0.8, "weak copyleft: file/library-level obligations, combinable with care"),
    STRONG_COPYLEFT: (0.5, "strong copyleft: derived works must be GPL/share-alike, not LGPL"),
    NETWORK_COPYLEFT: (0.3, "network copyleft: serving it obliges publishing derived source"),
    RAIL: (0.6, "RAIL: usable, but use-based restrictions must be passed downstream"),
    LLAMA_STYLE: (0.5, "community license: usage policy, attribution and scale limits apply"),
    NON_COMMERCIAL: (0.0, "non-commercial: an organisation cannot use it under its terms"),
    OTHER: (0.1, "custom or unrecognised license text: needs a manual legal review"),
    UNKNOWN: (0.0, "no license stated: all rights reserved by default"),
}
# LGPL-2.1 itself (and its or-later form) is the organisation's own license.
_SAME_AS_OURS = frozenset({"LGPL-2.1-only", "LGPL-2.1-or-later"})

# code category -> model categories it is compatible with for fine-tune + inference.
_USABLE_MODELS = frozenset(
    {PERMISSIVE, WEAK_COPYLEFT, STRONG_COPYLEFT, NETWORK_COPYLEFT, RAIL, LLAMA_STYLE}
)
_TABLE: dict[str, frozenset[str]] = {
    PERMISSIVE: _USABLE_MODELS,
    WEAK_COPYLEFT: _USABLE_MODELS,
    # GPL-family code forbids "further restrictions", which RAIL and community licenses add.
    STRONG_COPYLEFT: frozenset({PERMISSIVE, WEAK_COPYLEFT, STRONG_COPYLEFT}),
    NETWORK_COPYLEFT: frozenset({PERMISSIVE, WEAK_COPYLEFT, STRONG_COPYLEFT, NETWORK_COPYLEFT}),
    RAIL: frozenset({PERMISSIVE, WEAK_COPYLEFT, RAIL, LLAMA_STYLE}),
    LLAMA_STYLE: frozenset({PERMISSIVE, WEAK_COPYLEFT, RAIL, LLAMA_STYLE}),
    NON_COMMERCIAL: frozenset(),
    OTHER: frozenset(),
    UNKNOWN: frozenset(),
}


def lgpl_compatibility(spdx: str | None) -> tuple[float, str]:
    """Score in [0, 1] for how usable a model license is alongside our LGPL-2.1, and why."""
    canonical = normalize_spdx(spdx)
    if canonical in _SAME_AS_OURS:
        return 1.0, f"{canonical}: the organisation's own license"
    category = license_category(canonical)
    score, why = _LGPL_SCORES[category]
    return score, f"{canonical}: {why}"


def _gpl2_only_with_apache(code: str, model: str) -> bool:
    # The one well-known pairwise clash inside the table's "compatible" cells.
    return code == "GPL-2.0-only" and model == "Apache-2.0"


def check_compatibility(
    code_license_spdx: str | None,
    model_license_spdx: str | None,
) -> tuple[bool, str]:
    """Whether code under one license may fine-tune and run a model under another, and why."""
    code, model = normalize_spdx(code_license_spdx), normalize_spdx(model_license_spdx)
    code_cat, model_cat = license_category(code), license_category(model)
    if UNKNOWN in (code_cat, model_cat) or OTHER in (code_cat, model_cat):
        side = "code" if code_cat in (UNKNOWN, OTHER) else "model"
        return False, f"{side} license is {code if side == 'code' else model}: cannot establish"
    if NON_COMMERCIAL in (code_cat, model_cat):
        return False, "non-commercial terms: allowed only for non-commercial use, not ours"
    if model_cat not in _TABLE[code_cat]:
        return False, f"{code} ({code_cat}) code cannot carry a {model} ({model_cat}) model"
    if _gpl2_only_with_apache(code, model):
        return False, "GPL-2.0-only is incompatible with Apache-2.0 (patent clause)"
    return True, f"{code} ({code_cat}) code is compatible with a {model} ({model_cat}) model"
