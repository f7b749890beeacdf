"""Build the shared Lambda layer without Docker: manylinux wheels for the target arch, then trim.

`make layer` runs `python infra/build_layer.py [--arch arm64|x86_64]`; the stack picks up
build/layer when it exists (see infra/assets.py). The arch must match cdk.json's `architecture`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess  # noqa: S404 - runs pip with a fixed argument list
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "layer"
PYTHON_VERSION = "3.12"  # infra/functions.py RUNTIME; the wheels' ABI depends on it
_ARCH = {"arm64": "aarch64", "x86_64": "x86_64"}
# The runtime ships these; a second copy only adds cold-start and 20+ MB. Their small
# dependencies (urllib3, dateutil, jmespath) stay: the versions pip resolved are known to work.
_PROVIDED = ("boto3", "botocore", "s3transfer")
_JUNK_DIRS = ("__pycache__", "tests", "test")
_JUNK_SUFFIXES = (".pyc", ".pyi", ".c", ".h", ".pyx")


def pip_install(arch: str, requirements: Path, target: Path) -> None:
    """Binary wheels only, for Amazon Linux 2023 (glibc 2.34) on the chosen CPU."""
    machine = _ARCH[arch]
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-compile",
        "-r",
        str(requirements),
        "--target",
        str(target),
        "--platform",
        f"manylinux2014_{machine}",
        "--platform",
        f"manylinux_2_28_{machine}",
        "--implementation",
        "cp",
        "--python-version",
        PYTHON_VERSION,
        "--only-binary=:all:",
        "--upgrade",
    ]
    subprocess.run(cmd, check=True)  # noqa: S603 - fixed argv, no shell


def trim(site: Path) -> None:
    """Drop what the runtime provides and what no import needs."""
    for name in _PROVIDED:
        for path in list(site.glob(name)) + list(site.glob(f"{name}-*.dist-info")):
            shutil.rmtree(path, ignore_errors=True)
    # Console scripts and C headers pip drops at the top of --target: nothing imports them.
    for name in ("bin", "include"):
        shutil.rmtree(site / name, ignore_errors=True)
    for path in sorted(site.rglob("*"), reverse=True):
        if path.is_dir() and path.name in _JUNK_DIRS:
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.suffix in _JUNK_SUFFIXES:
            path.unlink()
    for info in site.glob("*.dist-info"):
        # Keep METADATA (importlib.metadata versions) and licenses; drop install bookkeeping.
        for name in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json"):
            (info / name).unlink(missing_ok=True)


def build(arch: str, requirements: Path) -> Path:
    """Fresh build/layer/python with dependencies and the trustreg package."""
    shutil.rmtree(OUT, ignore_errors=True)
    site = OUT / "python"
    site.mkdir(parents=True)
    pip_install(arch, requirements, site)
    shutil.copytree(
        ROOT / "layers" / "shared" / "python" / "trustreg",
        site / "trustreg",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    trim(site)
    return OUT


def main() -> None:
    """CLI entry point for `make layer`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--arch", choices=sorted(_ARCH), default="arm64")
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    args = parser.parse_args()
    out = build(args.arch, args.requirements)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"layer at {out} ({size / 1e6:.1f} MB unzipped, limit 250 MB)")


if __name__ == "__main__":
    main()
