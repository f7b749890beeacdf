"""ramp_up_time: how quickly a newcomer can start using the model, judged from its card."""

from __future__ import annotations

from trustreg.rating import card
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.result import MetricResult, checklist, describe

_USAGE = (
    "usage",
    "how to use",
    "quick start",
    "quickstart",
    "getting started",
    "inference",
    "how to get started",
    "example",
)
_INTENDED = ("intended use", "intended uses", "use cases", "direct use", "uses")
_LIMITS = ("limitation", "bias", "risks", "out-of-scope", "out of scope")
_MIN_DESCRIPTION_CHARS = 200
_LONG_CARD_WORDS = 300
_STRUCTURED_HEADINGS = 3


def compute(inputs: RatingInputs) -> MetricResult:
    """Score card completeness: description, usage, code, intended use, limitations, structure."""
    text = inputs.card_text
    if not text.strip():
        return MetricResult(0.0, "no model card", {"card_chars": 0})
    prose = card.prose(text)
    blocks = card.code_blocks(text)
    heads = card.headings(text)
    score, found = checklist(
        [
            ("description", 0.20, len(prose) >= _MIN_DESCRIPTION_CHARS),
            ("usage section", 0.20, card.has_heading(text, _USAGE)),
            ("code example", 0.20, bool(blocks)),
            (
                "intended use",
                0.15,
                card.has_heading(text, _INTENDED) or card.mentions(prose, ("intended use",)),
            ),
            ("limitations", 0.15, card.has_heading(text, _LIMITS)),
            ("length", 0.05, len(text.split()) >= _LONG_CARD_WORDS),
            ("structure", 0.05, len(heads) >= _STRUCTURED_HEADINGS),
        ]
    )
    evidence = {
        "checks": found,
        "card_words": len(text.split()),
        "headings": len(heads),
        "code_blocks": len(blocks),
        "card_malformed": inputs.card_malformed,
    }
    reason = "card " + describe(found)
    if inputs.card_malformed:
        # Tools that read the metadata (the Hub widget, license tags) will not see it either.
        reason += "; its YAML header does not parse"
    return MetricResult(score, reason, evidence)
