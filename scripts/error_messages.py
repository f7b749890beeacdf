"""The distinct error messages the API can answer with, and how many the test suite triggers.

Statically, every typed error (`BadRequest(...)`, `NotFound(...)`, ... from trustreg/errors.py)
constructed with a string literal or an f-string in the layer or a handler is one message
template (f-string fields become wildcards). Dynamically, the messages the suite's requests got
back are read from the JSON lines written under TRUSTREG_ERROR_LOG (tests/contract/error_log.py)
and matched to the templates.

python scripts/error_messages.py                       # list the templates
python scripts/error_messages.py --log FILE --fail-under 80   # ratio; exit 1 below it
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYER = ROOT / "layers" / "shared" / "python" / "trustreg"
SOURCES = (LAYER, ROOT / "functions")


def error_classes() -> set[str]:
    """Names of RegistryError and its subclasses, read from trustreg/errors.py."""
    tree = ast.parse((LAYER / "errors.py").read_text(encoding="utf-8"))
    names = {"RegistryError"}
    changed = True
    while changed:
        changed = False
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name not in names:
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                if bases & names:
                    names.add(node.name)
                    changed = True
    return names - {"RegistryError"}


@dataclass
class Template:
    """One message: where it is raised, its text with `{}` for f-string fields, its regex."""

    error: str
    text: str
    pattern: re.Pattern[str]
    where: list[str] = field(default_factory=list)
    hits: int = 0


def _template(node: ast.expr) -> tuple[str, str] | None:
    """(display text, regex) for a literal or f-string (possibly implicitly concatenated)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        text, regex = [], []
        for part in node.values:
            if isinstance(part, ast.Constant):
                text.append(str(part.value))
                regex.append(re.escape(str(part.value)))
            else:
                text.append("{}")
                regex.append(".*?")
        return "".join(text), "".join(regex)
    return None


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def collect() -> dict[str, Template]:
    """Every message template in the layer and the handlers, keyed by display text."""
    classes = error_classes()
    found: dict[str, Template] = {}
    for base in SOURCES:
        for path in sorted(base.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and _name(node.func) in classes and node.args):
                    continue
                parsed = _template(node.args[0])
                if parsed is None:
                    continue
                text, regex = parsed
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                tpl = found.setdefault(
                    text, Template(str(_name(node.func)), text, re.compile(regex, re.DOTALL))
                )
                tpl.where.append(where)
    return found


def match(templates: dict[str, Template], messages: list[str]) -> list[str]:
    """Count hits per template (the most specific match wins); return unmatched messages."""
    ordered = sorted(templates.values(), key=lambda t: -len(t.text.replace("{}", "")))
    unmatched = []
    for message in messages:
        for tpl in ordered:
            if tpl.pattern.fullmatch(message):
                tpl.hits += 1
                break
        else:
            unmatched.append(message)
    return unmatched


def read_log(path: Path, via: str | None = None) -> list[str]:
    """Recorded messages; `via` keeps only "answered" (by the API) or "raised" ones."""
    if not path.exists():
        return []
    messages = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            if via is None or entry.get("via", "answered") == via:
                messages.append(str(entry["message"]))
        except (ValueError, KeyError):
            continue
    return messages


def main() -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--log", type=Path, help="JSON lines written under TRUSTREG_ERROR_LOG")
    parser.add_argument("--fail-under", type=float, default=0.0, help="minimum percentage")
    parser.add_argument("--verbose", action="store_true", help="list triggered ones as well")
    args = parser.parse_args()
    templates = collect()
    if args.log is None:
        for tpl in sorted(templates.values(), key=lambda t: t.where[0]):
            print(f"{tpl.where[0]:60} {tpl.error:18} {tpl.text}")
        print(f"{len(templates)} distinct error messages")
        return 0
    answered = read_log(args.log, "answered")
    match(templates, answered)
    answered_ratio = 100.0 * sum(1 for t in templates.values() if t.hits) / max(len(templates), 1)
    for tpl in templates.values():
        tpl.hits = 0
    messages = read_log(args.log)
    unmatched = match(templates, messages)
    hit = [t for t in templates.values() if t.hits]
    ratio = 100.0 * len(hit) / max(len(templates), 1)
    missed = sorted((t for t in templates.values() if not t.hits), key=lambda t: t.where[0])
    if missed:
        print("error messages no test triggers:")
        for tpl in missed:
            print(f"  {tpl.where[0]:60} {tpl.error:18} {tpl.text}")
    if args.verbose:
        for tpl in sorted(hit, key=lambda t: -t.hits):
            print(f"  {tpl.hits:5}  {tpl.text}")
    if unmatched:
        print(f"{len(set(unmatched))} answered messages match no template (built elsewhere):")
        for message in sorted(set(unmatched))[:20]:
            print(f"  {message[:120]}")
    print(f"error messages answered by the API in tests: {answered_ratio:.1f}%")
    print(
        f"error messages triggered by the tests (answered or raised): {len(hit)}/{len(templates)}"
        f" = {ratio:.1f}% (minimum {args.fail_under:.0f}%; {len(messages)} recorded)"
    )
    return 0 if ratio >= args.fail_under else 1


if __name__ == "__main__":
    sys.exit(main())
