"""Fast, deterministic registry contents for the benchmarks: rows by COPY, real-shaped packages."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import secrets
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FAMILIES = [
    "bert",
    "roberta",
    "llama",
    "mistral",
    "gpt2",
    "t5",
    "whisper",
    "vit",
    "resnet",
    "distilbert",
    "falcon",
    "phi",
    "qwen",
    "gemma",
    "clip",
    "bloom",
    "opt",
    "electra",
]
SIZES = ["tiny", "mini", "small", "base", "large", "xl", "7b", "13b", "70b", "1.5b", "350m"]
VARIANTS = [
    "uncased",
    "cased",
    "chat",
    "instruct",
    "squad",
    "finetuned",
    "v2",
    "v3",
    "int8",
    "gguf",
    "awq",
    "sentiment",
    "ner",
    "imagenet",
    "multilingual",
    "code",
    "lora",
]
_PROSE = (
    "model trained on a large corpus of text and evaluated on standard benchmarks with strong "
    "results for classification question answering summarization translation the weights are "
    "released under an open license please cite the paper when you use this checkpoint for "
    "research tokenizer vocabulary fine tuning learning rate batch size epochs hardware "
    "accelerator inference latency memory footprint intended uses limitations bias risks "
    "evaluation dataset metrics accuracy f1 rouge bleu"
)
WORDS = _PROSE.split()
RARE = "quantization-aware distillation"  # planted in 1 card out of RARE_EVERY
RARE_EVERY = 1000
COLUMNS = (
    "id",
    "name",
    "type",
    "source_url",
    "source_kind",
    "version",
    "readme",
    "details",
    "blob_key",
    "blob_sha256",
    "size_bytes",
    "created_by_name",
    "created_at",
    "updated_at",
)


def artifact_name(rng: random.Random, i: int) -> str:
    """A HuggingFace-like name such as `llama-7b-chat-412`."""
    return f"{rng.choice(FAMILIES)}-{rng.choice(SIZES)}-{rng.choice(VARIANTS)}-{i}"


def card(rng: random.Random, name: str, i: int) -> str:
    """A model card of 300-1200 characters: front matter, a title, prose, a usage section."""
    lic = rng.choice(["apache-2.0", "mit", "llama2", "cc-by-4.0", "openrail"])
    prose = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 160)))
    if i % RARE_EVERY == RARE_EVERY // 2:
        prose += f" We apply {RARE} to shrink the model."
    return (
        f"---\nlicense: {lic}\nlibrary_name: transformers\n---\n# {name}\n\n{prose}\n\n"
        f"## Usage\n\n```python\nfrom transformers import AutoModel\n"
        f'AutoModel.from_pretrained("org/{name}")\n```\n'
    )


def bulk_artifacts(url: str, n: int, seed: int = 7, blob: dict[str, Any] | None = None) -> int:
    """COPY n model/dataset/code rows with realistic names and cards into `artifacts`."""
    import psycopg2

    rng = random.Random(seed)
    now = datetime.now(UTC).isoformat()
    buf = io.StringIO()
    out = csv.writer(buf)
    for i in range(n):
        kind = "model" if i % 5 < 3 else ("dataset" if i % 5 == 3 else "code")
        name = artifact_name(rng, i)
        details = {"category": "model", "bundle_bytes": 0}
        out.writerow(
            (
                secrets.token_hex(12),
                name,
                kind,
                f"https://huggingface.co/org/{name}",
                "hf_model",
                "1.0.0",
                card(rng, name, i),
                json.dumps(details),
                None,
                None,
                0,
                "bench",
                now,
                now,
            )
        )
    buf.seek(0)
    conn = psycopg2.connect(url.replace("postgresql+psycopg2", "postgresql"))
    try:
        with conn, conn.cursor() as cur:
            cur.copy_expert(
                f"COPY artifacts ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buf
            )
            cur.execute("ANALYZE artifacts")
    finally:
        conn.close()
    return n


def package_zip(rng: random.Random, name: str, weight_bytes: int) -> bytes:
    """A tiny LLM-shaped package: config.json, tokenizer.json, README.md, model.safetensors."""
    header = json.dumps(
        {
            "model.embed.weight": {
                "dtype": "F16",
                "shape": [weight_bytes // 128, 64],
                "data_offsets": [0, weight_bytes],
            }
        }
    ).encode()
    weights = len(header).to_bytes(8, "little") + header + rng.randbytes(weight_bytes)
    vocab = {f"tok{i}": i for i in range(2000)}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "config.json",
            json.dumps(
                {
                    "model_type": "llama",
                    "hidden_size": 64,
                    "num_hidden_layers": 2,
                    "vocab_size": 2000,
                }
            ),
        )
        z.writestr("tokenizer.json", json.dumps({"version": "1.0", "model": {"vocab": vocab}}))
        z.writestr("README.md", f"---\nlicense: apache-2.0\n---\n# {name}\n")
        z.writestr("model.safetensors", weights, compress_type=zipfile.ZIP_STORED)
    return buf.getvalue()


def models_with_blobs(
    url: str, blob_dir: Path, n: int, weight_bytes: int = 256 * 1024
) -> list[str]:
    """n downloadable models: a package per model in the local blob folder, rows by COPY."""
    import psycopg2

    rng = random.Random(11)
    now = datetime.now(UTC).isoformat()
    buf = io.StringIO()
    out = csv.writer(buf)
    ids = []
    for i in range(n):
        aid = secrets.token_hex(12)
        name = f"tiny-llm-{i}"
        data = package_zip(rng, name, weight_bytes)
        key = f"artifacts/model/{aid}/package.zip"
        path = blob_dir / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        details = {"category": "text-generation", "bundle_bytes": len(data)}
        out.writerow(
            (
                aid,
                name,
                "model",
                f"https://huggingface.co/bench/{name}",
                "hf_model",
                "1.0.0",
                f"# {name}\n",
                json.dumps(details),
                key,
                hashlib.sha256(data).hexdigest(),
                len(data),
                "bench",
                now,
                now,
            )
        )
        ids.append(aid)
    buf.seek(0)
    conn = psycopg2.connect(url.replace("postgresql+psycopg2", "postgresql"))
    try:
        with conn, conn.cursor() as cur:
            cur.copy_expert(
                f"COPY artifacts ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buf
            )
            cur.execute("ANALYZE artifacts")
    finally:
        conn.close()
    return ids


def seed_admin() -> None:
    """The default admin in the current database."""
    from trustreg.db.seed import ensure_default_admin

    ensure_default_admin()
