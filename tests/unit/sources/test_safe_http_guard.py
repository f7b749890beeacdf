"""Given hostile URLs and redirects, when the guarded client fetches, then it refuses them."""

from __future__ import annotations

import io

import pytest

from trustreg.config import get_settings
from trustreg.errors import BadRequest, UpstreamError
from trustreg.sources.host_guard import PUBLIC_DEFAULT_HOSTS, is_public_address
from trustreg.sources.http_client import SafeHttpClient

CONFIG = "/google-bert/bert-base-uncased/resolve/main/config.json"


def client(sleeps: list[float] | None = None, **kwargs) -> SafeHttpClient:
    record = sleeps if sleeps is not None else []
    return SafeHttpClient(get_settings(), sleep=record.append, **kwargs)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("100.64.0.1", False),
        ("::1", False),
        ("::", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("fe80::1%eth0", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("2002:7f00:1::1", False),
        ("not-an-ip", False),
    ],
)
def test_only_globally_routable_unicast_addresses_count_as_public(address, public):
    assert is_public_address(address) is public


def test_every_default_allowed_host_is_known_public(hub_env, monkeypatch):
    from trustreg.config import reset_settings

    for name in ("HF_ENDPOINT", "GITHUB_API_URL", "ALLOWED_SOURCE_HOSTS"):
        monkeypatch.delenv(name)
    reset_settings()
    assert set(get_settings().allowed_source_hosts) <= PUBLIC_DEFAULT_HOSTS


def test_given_a_host_not_allowed_then_the_first_request_is_a_bad_request(hub_env):
    with pytest.raises(BadRequest, match="example.com: not an allowed source host"):
        client().get_json("http://example.com/api/models/x")
    with pytest.raises(BadRequest, match="only http"):
        client().get_json("file:///etc/passwd")


def test_given_a_public_default_host_resolving_privately_then_it_is_refused(hub_env):
    # DNS rebinding: huggingface.co answering 127.0.0.1 must not reach the loopback service.
    sneaky = SafeHttpClient(get_settings(), resolver=lambda host, port: ["127.0.0.1"])
    with pytest.raises(BadRequest, match="non-public address"):
        sneaky.get_json("https://huggingface.co/api/models/gpt2")
    assert hub_env.requests == []


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:9/", "http://[::1]:9/"]
)
def test_given_a_redirect_to_an_internal_address_then_it_is_not_followed(hub_env, target):
    hub_env.redirect(CONFIG, target)
    with pytest.raises(UpstreamError, match="not an allowed source host"):
        client().get_text(f"{hub_env.url}{CONFIG}", max_bytes=10_000)


def test_given_a_redirect_to_an_allowed_host_on_a_metadata_address_then_it_is_refused(hub_env):
    hub_env.redirect(CONFIG, "http://cdn-lfs.hf.co/blob")
    resolve = {"cdn-lfs.hf.co": ["169.254.169.254"], "127.0.0.1": ["127.0.0.1"]}
    guarded = SafeHttpClient(get_settings(), resolver=lambda host, port: resolve[host])
    with pytest.raises(UpstreamError, match="cdn-lfs.hf.co: it resolves to a non-public address"):
        guarded.get_text(f"{hub_env.url}{CONFIG}", max_bytes=10_000)


def test_given_a_redirect_loop_then_it_stops_after_five_hops(hub_env):
    hub_env.redirect("/loop", f"{hub_env.url}/loop")
    with pytest.raises(UpstreamError, match="more than 5 redirects"):
        client().get_json(f"{hub_env.url}/loop")
    assert hub_env.requests.count("/loop") == 6


def test_token_is_sent_to_its_host_but_not_across_a_redirect(hub_env, monkeypatch):
    from trustreg.config import reset_settings

    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    port = hub_env.url.rsplit(":", 1)[1]
    monkeypatch.setenv("ALLOWED_SOURCE_HOSTS", f"127.0.0.1,localhost:{port}")
    reset_settings()
    hub_env.cdn_base = hub_env.url.replace("127.0.0.1", "localhost")
    http = SafeHttpClient(get_settings(), resolver=lambda host, port: ["127.0.0.1"])
    size, _ = http.download_to(
        f"{hub_env.url}/google-bert/bert-base-uncased/resolve/main/model.safetensors",
        io.BytesIO(),
        10_000,
    )
    auth = {
        (e.path.split("/")[1], e.headers.get("host", "").split(":")[0]): e.headers.get(
            "authorization"
        )
        for e in hub_env.log
    }
    assert size > 1000
    assert auth[("google-bert", "127.0.0.1")] == "Bearer hf_secret"
    assert auth[("_lfs", "localhost")] is None
