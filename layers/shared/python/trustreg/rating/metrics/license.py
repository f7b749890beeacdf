"""license: how clearly the model is licensed and how compatible that is with our LGPL-2.1."""

from __future__ import annotations

from typing import Any

from trustreg.rating.card import as_list
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.licenses import lgpl_compatibility, normalize_spdx
from trustreg.rating.result import MetricResult

# A custom license that is at least named and linked can be reviewed by a person.
_OTHER_LINKED = 0.3


def declared_licenses(inputs: RatingInputs) -> list[tuple[str, str]]:
    """Every (source, raw license) the inputs declare, most authoritative first."""
    card_license = as_list(inputs.card_metadata.get("license"))
    found: list[tuple[str, str]] = [("card", v) for v in card_license]
    card_data = inputs.hf_info.get("cardData") or {}
    if isinstance(card_data, dict):
        found += [("hf_card_data", v) for v in as_list(card_data.get("license"))]
    for tag in as_list(inputs.hf_info.get("tags")):
        if tag.lower().startswith("license:"):
            found.append(("hf_tag", tag.split(":", 1)[1]))
    if inputs.github is not None and inputs.github.license_spdx:
        found.append(("github", inputs.github.license_spdx))
    return found


def compute(inputs: RatingInputs) -> MetricResult:
    """Score the model's declared license for clarity and LGPL-2.1 compatibility."""
    declared = declared_licenses(inputs)
    if not declared:
        return MetricResult(
            0.0, "no license declared in the card, HF tags or GitHub", {"declared": []}
        )
    # The model's own declaration wins; the GitHub license covers code, used only as a fallback.
    source, raw = declared[0]
    spdx = normalize_spdx(raw)
    score, why = lgpl_compatibility(spdx)
    evidence: dict[str, Any] = {
        "declared": [list(d) for d in declared],
        "used": source,
        "spdx": spdx,
    }
    if spdx == "other":
        named = inputs.card_metadata.get("license_name")
        link = inputs.card_metadata.get("license_link")
        evidence.update(license_name=named, license_link=link)
        if named or link:
            score = _OTHER_LINKED
            why = f"custom license {named or ''} {link or ''}".strip() + ": needs a manual review"
        else:
            why = "license 'other' without license_name or license_link: terms unknown"
    distinct = sorted({normalize_spdx(r) for _, r in declared})
    if len(distinct) > 1:
        evidence["conflicting"] = distinct
        why += f" (sources disagree: {', '.join(distinct)}; {source} used)"
    return MetricResult(score, why, evidence)
