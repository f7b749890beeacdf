"""Match a request to the route table and call the route's real Lambda handler."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote

from trustreg.routes import ROUTES, Route

FUNCTIONS_DIR = Path(
    os.environ.get("FUNCTIONS_DIR", Path(__file__).resolve().parents[5] / "functions")
)
_modules: dict[str, ModuleType] = {}
_lock = threading.Lock()


def match(method: str, path: str) -> tuple[Route | None, dict[str, str], list[str]]:
    """(route, path parameters, methods allowed on this path); static segments win."""
    segments = [unquote(s) for s in path.strip("/").split("/")] if path.strip("/") else []
    best: tuple[int, Route, dict[str, str]] | None = None
    allowed: set[str] = set()
    for route in ROUTES:
        parts = route.path.strip("/").split("/") if route.path.strip("/") else []
        if len(parts) != len(segments):
            continue
        params: dict[str, str] = {}
        static = 0
        for part, seg in zip(parts, segments, strict=True):
            if part.startswith("{"):
                if not seg:
                    break
                params[part[1:-1]] = seg
            elif part == seg:
                static += 1
            else:
                break
        else:
            if route.method == method:
                if best is None or static > best[0]:
                    best = (static, route, params)
            else:
                allowed.add(route.method)
    if best is None:
        return None, {}, sorted(allowed)
    return best[1], best[2], sorted(allowed)


def load_handler(function: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """Import functions/<function>/handler.py once, under a unique module name (like a Lambda)."""
    with _lock:
        module = _modules.get(function)
        if module is None:
            path = FUNCTIONS_DIR / function / "handler.py"
            spec = importlib.util.spec_from_file_location(f"fn_{function}", path)
            if spec is None or spec.loader is None:
                raise RuntimeError(f"no handler at {path}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            _modules[function] = module
    return module.handler  # type: ignore[no-any-return]
