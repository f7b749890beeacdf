"""Static checks on parsed demo code: imports, model loading, referenced local files."""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field

# Packages a standard ML image provides; a demo importing anything else needs an install we
# cannot vouch for. Keep docs/metrics.md in step.
ML_LIBRARIES = frozenset(
    {
        "transformers",
        "torch",
        "torchvision",
        "torchaudio",
        "tensorflow",
        "keras",
        "jax",
        "flax",
        "numpy",
        "scipy",
        "pandas",
        "sklearn",
        "datasets",
        "huggingface_hub",
        "diffusers",
        "accelerate",
        "peft",
        "trl",
        "sentence_transformers",
        "timm",
        "tokenizers",
        "safetensors",
        "onnxruntime",
        "optimum",
        "PIL",
        "requests",
        "librosa",
        "soundfile",
        "evaluate",
        "bitsandbytes",
        "einops",
        "llama_cpp",
        "vllm",
        "open_clip",
        "cv2",
        "ultralytics",
        "spacy",
        "nltk",
        "matplotlib",
        "tqdm",
        "sentencepiece",
        "gradio",
        "openai_whisper",
        "whisper",
    }
)
LOADERS = frozenset(
    {
        "from_pretrained",
        "pipeline",
        "hf_hub_download",
        "snapshot_download",
        "SentenceTransformer",
        "CrossEncoder",
        "from_single_file",
        "create_model",
        "Llama",
        "LLM",
        "load_model",
    }
)
_LOCAL_FILE = re.compile(
    r"^[\w./-]+\.(json|txt|png|jpe?g|wav|mp3|flac|csv|tsv|safetensors|bin|"
    r"pt|pth|py|ya?ml|model|gguf|onnx|npy|parquet)$",
    re.IGNORECASE,
)


@dataclass
class SnippetFacts:
    """What static analysis could see in one parsed snippet."""

    imports: set[str] = field(default_factory=set)
    relative_imports: set[str] = field(default_factory=set)
    strings: list[str] = field(default_factory=list)
    loader_calls: int = 0
    unimported_modules: set[str] = field(default_factory=set)


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def analyse(tree: ast.AST) -> SnippetFacts:
    """Collect imports, string literals, loader calls and modules used without import."""
    facts = SnippetFacts()
    bound: set[str] = set()
    used_as_module: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            facts.imports |= {a.name.split(".")[0] for a in node.names}
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            target = facts.relative_imports if node.level else facts.imports
            target.add((node.module or "").split(".")[0])
            bound |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            facts.strings.append(node.value)
        elif isinstance(node, ast.Call) and _call_name(node) in LOADERS:
            facts.loader_calls += 1
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            used_as_module.add(node.value.id)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    facts.unimported_modules = {m for m in used_as_module - bound if m in ML_LIBRARIES}
    return facts


def unknown_imports(facts: SnippetFacts, local_modules: set[str]) -> list[str]:
    """Top-level imports that are neither stdlib, allow-listed, nor a module file of the repo."""
    known = ML_LIBRARIES | set(sys.stdlib_module_names) | local_modules
    return sorted(m for m in facts.imports if m and m not in known)


def referenced_files(facts: SnippetFacts) -> list[str]:
    """String literals that look like relative local file paths."""
    return sorted({s for s in facts.strings if _LOCAL_FILE.match(s) and not s.startswith("/")})


def mentions_model(facts: SnippetFacts, names: list[str]) -> bool:
    """True when a string literal is the model's id or name (or a path ending in its name)."""
    lowered = [n.lower().strip("/") for n in names if n]
    # Exact or "/name" suffix match, so "distilbert-base" does not count as "bert-base".
    return any(
        s.lower().strip() == n or s.lower().strip().endswith("/" + n)
        for s in facts.strings
        for n in lowered
    )
