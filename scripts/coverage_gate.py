"""Enforce the two line-coverage floors from one pytest run (contexts tell the suites apart).

`make test` runs the whole suite once with `--cov --cov-context=test`: every line a test runs
is recorded under that test's node id, module imports during collection under "", and lines a
contract-test server process runs under "subprocess" (tests/contract/live_server.py). So:
  - the whole suite (all contexts, the server processes included) must reach --all (95%);
  - the unit and API tests alone (contexts under tests/unit/ and tests/api/) must reach
    --unit-api (90%).
Below a floor it lists the modules with the most uncovered lines and exits 1.
"""

from __future__ import annotations

import argparse
import io
import sys

import coverage

UNIT_API = [r"^tests/(unit|api)/", r"^$"]


def measure(cov: coverage.Coverage, contexts: list[str] | None) -> tuple[float, str]:
    out = io.StringIO()
    percent = cov.report(file=out, contexts=contexts, show_missing=False, skip_covered=True)
    return percent, out.getvalue()


def worst(report: str, n: int = 12) -> list[str]:
    rows = []
    for line in report.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0].endswith(".py") and parts[1].isdigit():
            rows.append((int(parts[2]), line))
    return [line for _, line in sorted(rows, reverse=True)[:n]]


def main() -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all", type=float, default=95.0, help="floor for the whole suite")
    parser.add_argument("--unit-api", type=float, default=90.0, help="floor for unit + API tests")
    args = parser.parse_args()
    cov = coverage.Coverage()
    cov.load()
    failed = False
    for label, contexts, floor in (
        ("whole suite (unit, api, infra, e2e, contract)", None, args.all),
        ("unit + API tests", UNIT_API, args.unit_api),
    ):
        percent, report = measure(cov, contexts)
        ok = percent >= floor
        print(f"line coverage, {label}: {percent:.1f}% (minimum {floor:.0f}%)")
        if not ok:
            failed = True
            print("  most uncovered lines:")
            for line in worst(report):
                print(f"    {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
