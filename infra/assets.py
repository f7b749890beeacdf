"""Where the stack finds code on disk: plain folders, so synth needs neither Docker nor network."""

from __future__ import annotations

import hashlib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = REPO_ROOT / "functions"
LAYER_SOURCE_DIR = REPO_ROOT / "layers" / "shared"  # holds python/trustreg, the layer layout
LAYER_BUILD_DIR = REPO_ROOT / "build" / "layer"  # written by `make layer` (infra/build_layer.py)
DB_CODE_DIR = LAYER_SOURCE_DIR / "python" / "trustreg" / "db"
REQUIREMENTS = REPO_ROOT / "requirements.txt"


def layer_asset_dir() -> Path:
    """The built layer (with its dependencies) when present, else the bare package source.

    The fallback keeps offline synth and the assertion tests working; a deploy from it would
    lack SQLAlchemy and friends, which is why docs/deploy.md runs `make layer` first.
    """
    if (LAYER_BUILD_DIR / "python" / "trustreg").is_dir():
        return LAYER_BUILD_DIR
    return LAYER_SOURCE_DIR


def function_dir(functions_root: Path, name: str) -> Path:
    """The asset folder of one function; a missing folder fails synth with its name."""
    path = functions_root / name
    if not (path / "handler.py").is_file():
        raise FileNotFoundError(f"function {name!r} has no {path / 'handler.py'}")
    return path


def tree_hash(root: Path) -> str:
    """A stable hash of a folder's files (names and bytes), ignoring bytecode caches."""
    digest = hashlib.sha256()
    if not root.is_dir():
        return digest.hexdigest()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def migrations_hash() -> str:
    """Changes whenever a migration, the database code or a pinned library changes, so the
    migrations resource runs again: it also installs the kept reads' functions, named after the
    SQL that code and SQLAlchemy's release write together (db/stored.py)."""
    digest = hashlib.sha256(tree_hash(DB_CODE_DIR).encode())
    digest.update(REQUIREMENTS.read_bytes() if REQUIREMENTS.is_file() else b"")
    return digest.hexdigest()
