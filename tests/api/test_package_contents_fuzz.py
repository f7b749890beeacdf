"""Property: whatever a package's card header, config.json or README holds, no 5xx.

Uploads HuggingFace-style packages whose YAML front matter, config.json and README body carry
values the registry once answered with a 500 (NUL, lone surrogates, NaN and infinities, YAML
dates, self-aliases...) and their neighbours (control characters, emoji, long strings, huge
numbers, impossible dates, YAML tags, boolean keys, nested lists and maps). Every upload must
answer 201 or a 4xx with a JSON error message; after a 201 the model must be readable, rated,
traced and found by name. Bounded and derandomized: the same examples on every run.
"""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.test_artifacts_upload import upload
from tests.support.artifacts import HF_PACKAGE, zip_bytes

_names = itertools.count()

# --- text -------------------------------------------------------------------------------------
ODD_CHARS = [
    "\x00", "\x01", "\x07", "\t", "\x1b", "\x7f", "\x85", "\xa0", "\u2028", "\u202e", "\ufeff",
    "\ufffd", "\ufffe", "\uffff", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83e", "\udd17",
    "\U0001f917", "\U0001f600", "\U0010ffff", "\u00e9", "\u4e2d", '"', "\\", "'", ":", "#",
    "-", "[", "{", ",", "*", "&", "!", "%", "@", "`", "|", ">", "/",
]  # fmt: skip
# the characters PostgreSQL refuses, and an emoji, drawn more often than the rest
chars = st.one_of(
    st.sampled_from(ODD_CHARS),
    st.sampled_from(["\x00", "\ud800", "\udfff", "\U0001f917"]),
    st.characters(codec=None),
)
# lists of characters, not st.text: st.text would merge the alphabet into one interval set
# and lose the weight given to the odd characters
short_text = st.lists(chars, max_size=12).map("".join)
long_text = st.builds(lambda piece, n: piece * n, st.lists(chars, min_size=1, max_size=3).map("".join),
                      st.integers(700, 1500))  # fmt: skip
any_text = st.one_of(short_text, short_text, long_text)


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar that decodes to `text` (NUL, controls, surrogates escaped)."""
    out = []
    for ch in text:
        cp = ord(ch)
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\x00":
            out.append("\\0")
        elif 0x20 <= cp < 0x7F or (cp >= 0xA0 and not 0xD800 <= cp <= 0xDFFF and ch.isprintable()):
            out.append(ch)
        elif cp <= 0xFF:
            out.append(f"\\x{cp:02x}")
        elif cp <= 0xFFFF:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    return '"' + "".join(out) + '"'


# --- YAML header ------------------------------------------------------------------------------
# Long scalars stand as short tokens in the lists (so the strategies' reprs stay small).
HUGE = {
    "<huge-int>": "9" * 4400,  # past Python's int-to-str limit (4300 digits)
    "<huge-neg-int>": "-" + "9" * 4400,
    "<huge-hex>": "0x" + "f" * 4000,  # a power-of-two base: parsed, but ~4800 decimal digits
    "<huge-bin>": "0b" + "1" * 15000,
    "<huge-json-int>": "1" * 5000,
}


def _expand(token: str) -> str:
    return HUGE.get(token, token)


YAML_ODD_SCALARS = [
    # numbers
    ".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1e400", "1.0e+400", "-1.0e+400", "1.0e-400",
    "0.", "-0.0", "1_000", "0777", "0b1010", "0x1F", "0x_", "190:20:30", "-1:30.5",
    "<huge-int>", "<huge-neg-int>", "<huge-hex>", "<huge-bin>", "12345678901234567890",
    # dates and timestamps, possible and not
    "2024-01-01", "2024-02-29", "2023-02-29", "2024-13-45", "0000-00-00", "9999-12-31",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 +25:00", "2001-12-14 24:00:00",
    "2001-12-14 21:59:43.1234567891", "1-1-1",
    # booleans and null
    "yes", "No", "on", "OFF", "y", "true", "~", "null", "''", '""',
    # tags
    "!!binary aGVsbG8=", "!!binary '!!'", "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]",
    "!!timestamp 2024-01-01", "!!timestamp not-a-date", "!!int abc", "!!float x", "!!bool maybe",
    "!!str 1", "!!null x", "!!python/name:os.system", "!custom x",
    # aliases (refused by the card parser: a malformed header, not an error)
    "&a [*a]", "&b {k: *b}", "*undefined",
    # names of things the registry knows, and refs that look like paths or URLs
    "apache-2.0", "other", "mit", "fill-mask", "text-classification", "rajpurkar/squad",
    "google-bert/bert-base-uncased", "fuzz-pkg-0", "fuzz-pkg-1", "./out", "/abs/path",
    "https://huggingface.co/google-bert/bert-base-uncased", "https://github.com/acme/lgpl-lib",
    "https://github.com/nobody/nothing", "https://github.com/",
]  # fmt: skip
YAML_ODD_KEYS = [
    "yes", "no", "on", "1", "-1", "1.5", ".nan", ".inf", "~", "null", "true", "2024-01-01",
    "2001-12-14 21:59:43", "2024-13-45", "<huge-int>", "<huge-hex>", "'quoted key'", "<<",
    "!!binary aGk=", "[a, b]", "{a: 1}",
]  # fmt: skip
REGISTRY_FIELDS = [
    "license", "license_name", "license_link", "pipeline_tag", "base_model", "datasets", "tags",
    "library_name", "language", "metrics", "model_name", "widget",
]  # fmt: skip

yaml_scalar = st.one_of(
    st.sampled_from(YAML_ODD_SCALARS).map(_expand),
    any_text.map(yaml_quoted),
    st.from_regex(r"[a-z][a-z0-9_./-]{0,15}", fullmatch=True),
    st.integers(-(2**70), 2**70).map(str),
    st.floats().map(repr),
)
yaml_key = st.one_of(
    st.sampled_from(YAML_ODD_KEYS).map(_expand),
    short_text.map(yaml_quoted),
    st.sampled_from(REGISTRY_FIELDS),
)
yaml_value = st.recursive(
    yaml_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(yaml_key, inner), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
        ),
    ),
    max_leaves=6,
)
model_index = st.builds(
    lambda dataset, mtype, value, verified: (
        "model-index: [{name: m, results: [{dataset: {name: "
        f"{dataset}}}, metrics: [{{type: {mtype}, value: {value}, verified: {verified}}}]}}]}}]"
    ),
    yaml_scalar, yaml_scalar, yaml_value, yaml_scalar,
)  # fmt: skip
odd_string = any_text.map(yaml_quoted)
header_line = st.one_of(
    # the fields the registry reads, as odd strings (NUL, surrogates, long...) or odd values
    st.builds(
        lambda k, v: f"{k}: {v}",
        st.sampled_from(["base_model", "datasets", "license", "pipeline_tag", "tags"]),
        odd_string,
    ),
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(REGISTRY_FIELDS), yaml_value),
    st.builds(lambda v: f"base_model:\n- {v}\n- fuzz-pkg-0", st.one_of(odd_string, yaml_scalar)),
    st.builds(lambda k, v: f"{k}: {v}", yaml_key, yaml_value),
    model_index,
)

# --- README body: raw bytes as well as text ---------------------------------------------------
RAW_BYTES = [
    b"\x00", b"\xff", b"\xfe\xff", b"\xed\xa0\x80", b"\xc3", b"\xf4\x90\x80\x80", b"\xef\xbb\xbf",
    b"\r", b"\x1b[31m", b"```python\nimport os\n", b"| a | b |\n|---|---|\n| 1 | 2 |\n",
    b"https://github.com/acme/lgpl-lib", b"## Evaluation results\naccuracy: 0.9\n",
]  # fmt: skip
body_bytes = st.lists(
    st.one_of(
        st.sampled_from(RAW_BYTES), any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    ),
    max_size=5,
).map(b"".join)

# --- config.json ------------------------------------------------------------------------------
CONFIG_KEYS = [
    "base_model", "_name_or_path", "model_type", "architectures", "base_model_name_or_path",
    "parent_model", "torch_dtype", "transformers_version",
]  # fmt: skip
RAW_JSON_VALUES = [
    "NaN", "Infinity", "-Infinity", '"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"\\udfffx"',
    '"\\ud83e\\udd17"', '"\\\\ud800"', "1e400", "-1e400", "<huge-json-int>", '["\\ud800", NaN]',
    '{"\\u0000": 1, "\\ud800": Infinity}', '"./out"', '"fuzz-pkg-1"', '"google-bert/bert-base-uncased"',
    "[" * 50 + "]" * 50,
]  # fmt: skip
json_data = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**80), 2**80),
        st.floats(),
        short_text,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(short_text, inner, max_size=3)
    ),
    max_leaves=6,
)
json_value_text = st.one_of(
    json_data.map(json.dumps),
    json_data.map(lambda v: json.dumps(v, ensure_ascii=False)),
    st.sampled_from(RAW_JSON_VALUES).map(_expand),
)
config_key = st.one_of(st.sampled_from(CONFIG_KEYS), short_text).map(json.dumps)
config_object = st.lists(st.tuples(config_key, json_value_text), max_size=5).map(
    lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
)
config_text = st.one_of(
    config_object,
    config_object,
    config_object,
    st.sampled_from(["[]", "null", '"bert"', "NaN", "{", "", "\ufeff{}", '{"a": 1} trailing']),
)
config_bytes = st.one_of(
    config_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda junk, t: junk + t.encode("utf-8", "surrogatepass"),
              st.sampled_from(RAW_BYTES), config_text),
)  # fmt: skip


@st.composite
def packages(draw: st.DrawFn) -> tuple[str, bytes, bytes]:
    """(artifact name, README bytes, config.json bytes); the config is sometimes absent (b"")."""
    name = f"fuzz-pkg-{next(_names)}"
    header = "\n".join(draw(st.lists(header_line, min_size=1, max_size=4)))
    readme = (
        b"---\n"
        + header.encode("utf-8", "surrogatepass")
        + b"\n---\n# "
        + name.encode()
        + b"\n"
        + draw(body_bytes)
    )
    return name, readme, draw(config_bytes)


def _check(client, path: str, ok: tuple[int, ...]) -> None:
    r = client.get(path)
    assert r.status < 500, (path, r.status, r.body)
    assert r.status in ok, (path, r.status, r.body)


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(package=packages())
def test_given_odd_card_headers_configs_and_readmes_when_uploaded_then_never_a_server_error(
    hub_api, hub_env, package
):
    name, readme, config = package
    hub_api.login()  # a fresh token: one token serves 1000 calls, the examples may need more
    entries = {**HF_PACKAGE, "tiny/README.md": readme, "tiny/config.json": config}
    if not config:
        del entries["tiny/config.json"]

    r = upload(hub_api, zip_bytes(entries), name=name)

    assert r.status < 500, (r.status, r.body)
    if r.status != 201:
        assert 400 <= r.status < 500, (r.status, r.body)
        assert r.message, (r.status, r.raw)
        return
    aid = r.body["metadata"]["id"]
    _check(hub_api, f"/artifacts/model/{aid}", (200,))
    _check(hub_api, f"/artifact/model/{aid}/rate", (200, 400, 403, 404))
    lineage = hub_api.get(f"/artifact/model/{aid}/lineage")
    # the one documented refusal: nothing to read lineage from
    assert lineage.status == 200 or (
        lineage.status == 400 and "both malformed" in lineage.message
    ), (lineage.status, lineage.body)
    found = hub_api.post("/artifact/byRegEx", {"regex": name})
    assert found.status == 200, (found.status, found.body)
    assert aid in [a["id"] for a in found.body]
