"""Read a HuggingFace model/dataset card: its YAML header, its body, links and code blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from trustreg.plain_json import json_ready

_FENCE = re.compile(r"^(```|~~~)[ \t]*([\w+.-]*)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
_GITHUB = re.compile(r"https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)", re.I)
# GitHub paths that are site pages, not owners.
_NOT_OWNERS = {"features", "topics", "about", "pricing", "orgs", "settings", "marketplace"}


class _HeaderLoader(yaml.SafeLoader):
    """YAML without aliases. An alias can make a header contain itself, or expand a few lines
    into millions of nodes for every walk over the metadata; no real card needs one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases are not accepted in a card header")
        return super().compose_node(parent, index)


@dataclass(frozen=True)
class ModelCard:
    """A card split into its YAML metadata and markdown body."""

    metadata: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    malformed: bool = False  # a header was present but was not a YAML mapping


def parse_model_card(text: str) -> ModelCard:
    """Split `---` YAML front matter from the body; a bad header gives metadata {} + malformed."""
    text = (text or "").lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return ModelCard({}, text, False)
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            header, body = "".join(lines[1:index]), "".join(lines[index + 1 :])
            break
    else:
        return ModelCard({}, text, True)  # an opened header that never closes
    try:
        metadata = yaml.load(header, Loader=_HeaderLoader)  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, ValueError, KeyError, AttributeError, TypeError):
        # PyYAML's constructors raise these too, for values they cannot build: `2024-13-45`,
        # an integer of 5,000 digits, `!!bool maybe`, `!!timestamp x`.
        return ModelCard({}, body, True)
    if metadata is None:
        return ModelCard({}, body, False)
    if not isinstance(metadata, dict):
        return ModelCard({}, body, True)
    # Plain JSON values from here on: every reader of the metadata (rating evidence, lineage,
    # stored details, upstream queries) gets strings, numbers, lists and maps it can handle.
    return ModelCard({str(k): v for k, v in json_ready(metadata).items()}, body, False)


def _strings(value: Any) -> list[str]:
    """Every string inside a YAML value (lists and mappings included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def find_github_urls(text: str, metadata: dict[str, Any] | None = None) -> list[str]:
    """Distinct GitHub repository URLs named in the card (metadata first), normalized."""
    found: list[str] = []
    for source in [*_strings(metadata or {}), text or ""]:
        for match in _GITHUB.finditer(source):
            owner, repo = match.group(1), match.group(2).removesuffix(".git").rstrip(".")
            url = f"https://github.com/{owner}/{repo}"
            if (
                owner.lower() not in _NOT_OWNERS
                and repo
                and url.lower() not in map(str.lower, found)
            ):
                found.append(url)
    return found


def find_code_blocks(text: str) -> list[tuple[str, str]]:
    """Fenced code blocks as (language, code); language is lower-case, "" when unlabelled."""
    return [(m.group(2).lower(), m.group(3)) for m in _FENCE.finditer(text or "")]
