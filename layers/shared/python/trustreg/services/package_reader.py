"""Read what the registry needs from a validated package zip: card, config, file list."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trustreg.packaging.summary import ZipSummary
from trustreg.plain_json import json_ready
from trustreg.rating.inputs import RepoFile
from trustreg.sources.model_card import parse_model_card

MAX_TEXT_BYTES = 1024 * 1024  # a model card or config larger than this is read truncated


@dataclass
class PackageFacts:
    """The parsed card, config and file list of one package."""

    readme: str = ""
    card_metadata: dict[str, Any] = field(default_factory=dict)
    card_body: str = ""
    card_malformed: bool = False
    config: dict[str, Any] | None = None
    config_malformed: bool = False
    files: list[RepoFile] = field(default_factory=list)


def _read_text(archive: zipfile.ZipFile, name: str) -> str:
    with archive.open(name) as fh:
        return fh.read(MAX_TEXT_BYTES).decode("utf-8", errors="replace")


def read_package(path: str | Path, summary: ZipSummary) -> PackageFacts:
    """Parse README.md (YAML header and body) and config.json, and list files with sizes."""
    facts = PackageFacts(
        files=[RepoFile(summary.relative(e), e.size) for e in summary.entries],
    )
    with zipfile.ZipFile(path) as archive:
        if summary.model_card is not None:
            facts.readme = _read_text(archive, summary.model_card.name)
            card = parse_model_card(facts.readme)
            facts.card_metadata, facts.card_body = card.metadata, card.body
            facts.card_malformed = card.malformed
        if summary.config is not None:
            try:
                parsed = json_ready(json.loads(_read_text(archive, summary.config.name)))
                facts.config = parsed if isinstance(parsed, dict) else None
                facts.config_malformed = not isinstance(parsed, dict)
            except (ValueError, RecursionError):  # not JSON, or nested beyond any real config
                facts.config_malformed = True
    return facts
