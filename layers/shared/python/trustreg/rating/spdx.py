"""License identifiers as people write them, normalised to SPDX-style ids and categories."""

from __future__ import annotations

import re

PERMISSIVE = "permissive"
WEAK_COPYLEFT = "weak_copyleft"
STRONG_COPYLEFT = "strong_copyleft"
NETWORK_COPYLEFT = "network_copyleft"
NON_COMMERCIAL = "non_commercial"
RAIL = "rail"
LLAMA_STYLE = "llama_style"
OTHER = "other"  # proprietary or custom: a document exists but is not a known license
UNKNOWN = "unknown"

# Keys are the squashed form (lower case, no spaces/dashes/dots/underscores, no "license").
_ALIASES: dict[str, str] = {
    "mit": "MIT",
    "apache2": "Apache-2.0",
    "apache20": "Apache-2.0",
    "apache": "Apache-2.0",
    "bsd": "BSD-3-Clause",
    "bsd2clause": "BSD-2-Clause",
    "bsd3clause": "BSD-3-Clause",
    "bsd3clauseclear": "BSD-3-Clause-Clear",
    "isc": "ISC",
    "unlicense": "Unlicense",
    "zlib": "Zlib",
    "bsl10": "BSL-1.0",
    "cc0": "CC0-1.0",
    "cc010": "CC0-1.0",
    "ccby40": "CC-BY-4.0",
    "ccby30": "CC-BY-3.0",
    "ccby20": "CC-BY-2.0",
    "wtfpl": "WTFPL",
    "afl30": "AFL-3.0",
    "artistic20": "Artistic-2.0",
    "ecl20": "ECL-2.0",
    "pddl": "PDDL-1.0",
    "odcby": "ODC-By-1.0",
    "odcby10": "ODC-By-1.0",
    "postgresql": "PostgreSQL",
    "lgpl": "LGPL-2.1-or-later",
    "lgpl21": "LGPL-2.1-only",
    "lgpl21only": "LGPL-2.1-only",
    "lgpl21orlater": "LGPL-2.1-or-later",
    "lgpl30": "LGPL-3.0-only",
    "lgpl3": "LGPL-3.0-only",
    "lgpl30only": "LGPL-3.0-only",
    "lgpl30orlater": "LGPL-3.0-or-later",
    "lgplv3": "LGPL-3.0-only",
    "lgpllr": "LGPLLR",
    "mpl20": "MPL-2.0",
    "epl10": "EPL-1.0",
    "epl20": "EPL-2.0",
    "gpl": "GPL-3.0-or-later",
    "gpl2": "GPL-2.0-only",
    "gpl20": "GPL-2.0-only",
    "gpl20only": "GPL-2.0-only",
    "gpl20orlater": "GPL-2.0-or-later",
    "gpl3": "GPL-3.0-only",
    "gpl30": "GPL-3.0-only",
    "gpl30only": "GPL-3.0-only",
    "gpl30orlater": "GPL-3.0-or-later",
    "ccbysa40": "CC-BY-SA-4.0",
    "ccbysa30": "CC-BY-SA-3.0",
    "odbl": "ODbL-1.0",
    "agpl30": "AGPL-3.0-only",
    "agpl3": "AGPL-3.0-only",
    "agpl30only": "AGPL-3.0-only",
    "agpl30orlater": "AGPL-3.0-or-later",
    "osl30": "OSL-3.0",
    "ccbync40": "CC-BY-NC-4.0",
    "ccbync30": "CC-BY-NC-3.0",
    "ccbync20": "CC-BY-NC-2.0",
    "ccbyncsa40": "CC-BY-NC-SA-4.0",
    "ccbyncsa30": "CC-BY-NC-SA-3.0",
    "ccbyncnd40": "CC-BY-NC-ND-4.0",
    "ccbynd40": "CC-BY-ND-4.0",
    "openrail": "OpenRAIL",
    "openrailm": "OpenRAIL-M",
    "openrail++": "OpenRAIL++",
    "creativemlopenrailm": "CreativeML-OpenRAIL-M",
    "bigscienceopenrailm": "BigScience-OpenRAIL-M",
    "bigsciencebloomrail10": "BigScience-BLOOM-RAIL-1.0",
    "bigcodeopenrailm": "BigCode-OpenRAIL-M",
    "llama2": "llama2",
    "llama3": "llama3",
    "llama31": "llama3.1",
    "llama32": "llama3.2",
    "llama33": "llama3.3",
    "llama4": "llama4",
    "gemma": "gemma",
    "other": "other",
    "noassertion": "other",
    "unknown": "unknown",
    "": "unknown",
}

_CATEGORY_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("CC-BY-NC", NON_COMMERCIAL),
    ("CC-BY-ND", OTHER),
    ("CC-BY-SA", STRONG_COPYLEFT),
    ("LGPL", WEAK_COPYLEFT),
    ("MPL", WEAK_COPYLEFT),
    ("EPL", WEAK_COPYLEFT),
    ("AGPL", NETWORK_COPYLEFT),
    ("GPL", STRONG_COPYLEFT),
    ("OSL", NETWORK_COPYLEFT),
    ("ODbL", STRONG_COPYLEFT),
    ("llama", LLAMA_STYLE),
    ("gemma", LLAMA_STYLE),
    ("other", OTHER),
    ("unknown", UNKNOWN),
)
_PERMISSIVE_IDS = frozenset(
    {
        "MIT",
        "Apache-2.0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "BSD-3-Clause-Clear",
        "ISC",
        "Unlicense",
        "Zlib",
        "BSL-1.0",
        "CC0-1.0",
        "CC-BY-4.0",
        "CC-BY-3.0",
        "CC-BY-2.0",
        "WTFPL",
        "AFL-3.0",
        "Artistic-2.0",
        "ECL-2.0",
        "PDDL-1.0",
        "ODC-By-1.0",
        "PostgreSQL",
        "LGPLLR",
    }
)


def _squash(raw: str) -> str:
    low = raw.strip().lower().removeprefix("license:")
    low = re.sub(r"\blicen[cs]e\b|\bversion\b|\bv(?=\d)", "", low)
    return re.sub(r"[\s._\-/,()]+", "", low)


def normalize_spdx(raw: str | None) -> str:
    """Map a license string (SPDX id, HF tag value, free text) to a canonical id, or 'unknown'."""
    if raw is None:
        return "unknown"
    key = _squash(str(raw))
    if key in _ALIASES:
        return _ALIASES[key]
    # Unlisted RAIL variants still carry use restrictions; keep their spelling.
    if "rail" in key:
        return str(raw).strip()
    return "other"


def license_category(spdx: str | None) -> str:
    """The category of a (raw or normalised) license id."""
    canonical = normalize_spdx(spdx)
    if canonical in _PERMISSIVE_IDS:
        return PERMISSIVE
    if "rail" in canonical.lower():
        return RAIL
    for prefix, category in _CATEGORY_BY_PREFIX:
        if canonical.startswith(prefix):
            return category
    return OTHER
