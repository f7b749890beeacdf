"""Build small HuggingFace-style model packages (zips) for upload tests."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from urllib.parse import quote

CARD = """---
license: apache-2.0
pipeline_tag: text-classification
---
# {name}

An internal classifier fine-tuned for support tickets.

## Usage

```python
from transformers import pipeline
clf = pipeline("text-classification", model="{name}")
```

## Limitations
Trained on English tickets only.
"""


def model_zip(
    name: str = "ticket-classifier",
    weights: bytes = b"\\0" * 2048,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A zip with README.md, config.json, model.safetensors and a small dataset file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{name}/README.md", CARD.format(name=name))
        zf.writestr(f"{name}/config.json", json.dumps({"model_type": "bert", "hidden_size": 8}))
        zf.writestr(f"{name}/model.safetensors", weights)
        zf.writestr(f"{name}/data/train.csv", "text,label\nhello,0\n")
        for path, data in (extra or {}).items():
            zf.writestr(f"{name}/{path}", data)
    return buf.getvalue()


def upload_model(client: Any, name: str, version: str | None = None, extra_query: str = "") -> str:
    """Upload a small model package named `name` through the real handler; its artifact id.

    `extra_query` is appended to the query string as is (for parameters the server must ignore).
    """
    query = f"name={quote(name, safe='')}" + (f"&version={quote(version)}" if version else "")
    query += f"&{extra_query}" if extra_query else ""
    r = client.call(
        "POST",
        f"/artifact/model/upload?{query}",
        raw=model_zip("model"),
        content_type="application/zip",
    )
    assert r.status == 201, r.body
    return str(r.body["metadata"]["id"])
