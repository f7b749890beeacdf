"""Given a flaky or oversized upstream, when the guarded client fetches, then it copes."""

from __future__ import annotations

import io

import pytest

from trustreg.config import get_settings
from trustreg.errors import NotFound, PayloadTooLarge, UpstreamError
from trustreg.sources.http_client import SafeHttpClient

CONFIG = "/google-bert/bert-base-uncased/resolve/main/config.json"


def client(sleeps: list[float] | None = None, **kwargs) -> SafeHttpClient:
    record = sleeps if sleeps is not None else []
    return SafeHttpClient(get_settings(), sleep=record.append, **kwargs)


def test_given_429_with_retry_after_then_it_waits_that_long_and_succeeds(hub_env):
    sleeps: list[float] = []
    hub_env.fail(CONFIG, 429, times=1, headers={"Retry-After": "3"})
    hub_env.fail(CONFIG, 503, times=1)
    text = client(sleeps).get_text(f"{hub_env.url}{CONFIG}", max_bytes=10_000)
    assert '"model_type": "bert"' in text
    assert sleeps == [3.0, 1.0]  # Retry-After honoured, then exponential backoff (0.5 * 2)
    assert hub_env.requests.count(CONFIG) == 3


def test_given_retry_after_beyond_the_cap_then_it_gives_up_at_once(hub_env):
    sleeps: list[float] = []
    hub_env.fail(CONFIG, 429, times=1, headers={"Retry-After": "3600"})
    with pytest.raises(UpstreamError, match="rate limiting us; retry after 3600s"):
        client(sleeps).get_text(f"{hub_env.url}{CONFIG}", max_bytes=10_000)
    assert sleeps == []


def test_given_persistent_500_then_upstream_error_after_three_attempts(hub_env):
    sleeps: list[float] = []
    hub_env.fail(CONFIG, 500, times=None)
    with pytest.raises(UpstreamError, match="127.0.0.1 answered HTTP 500") as err:
        client(sleeps).get_text(f"{hub_env.url}{CONFIG}", max_bytes=10_000)
    assert err.value.status == 502
    assert sleeps == [0.5, 1.0] and hub_env.requests.count(CONFIG) == 3


def test_given_an_unreachable_host_then_the_error_names_it(hub_env, monkeypatch):
    from trustreg.config import reset_settings

    monkeypatch.setenv("ALLOWED_SOURCE_HOSTS", "127.0.0.1,localhost:9")
    reset_settings()
    sleeps: list[float] = []
    with pytest.raises(UpstreamError, match="localhost could not be reached after 3 attempts"):
        client(sleeps).get_json("http://localhost:9/api")  # port 9 (discard) is closed
    assert len(sleeps) == 2


def test_given_a_slow_upstream_then_the_timeout_applies(hub_env, monkeypatch):
    from trustreg.config import reset_settings

    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "0.2")
    reset_settings()
    hub_env.delay(CONFIG, 1.0)
    with pytest.raises(UpstreamError, match="could not be reached"):
        client(max_attempts=1).get_text(f"{hub_env.url}{CONFIG}", max_bytes=10_000)


def test_given_404_then_not_found_upstream(hub_env):
    with pytest.raises(NotFound, match="not found upstream"):
        client().get_json(f"{hub_env.url}/api/models/acme/missing")  # HF says 401 RepoNotFound
    with pytest.raises(NotFound, match="not found upstream"):
        client().get_json(f"{hub_env.github_api_url}/repos/acme/missing")


def test_given_a_declared_size_over_the_cap_then_nothing_is_written(hub_env):
    sink = io.BytesIO()
    with pytest.raises(PayloadTooLarge, match="larger than the 100 byte limit"):
        client().download_to(f"{hub_env.url}{CONFIG}", sink, 100)
    assert sink.getvalue() == b""


def test_given_a_stream_without_length_then_the_cap_cuts_it(hub_env):
    hub_env.stream("/big.bin", 5_000_000)
    sink = io.BytesIO()
    with pytest.raises(PayloadTooLarge):
        client().download_to(f"{hub_env.url}/big.bin", sink, 1_000_000)
    assert len(sink.getvalue()) <= 1_000_000


def test_download_reports_size_and_sha256(hub_env):
    import hashlib

    sink = io.BytesIO()
    size, digest = client().download_to(f"{hub_env.url}{CONFIG}", sink, 10_000)
    assert size == len(sink.getvalue()) and digest == hashlib.sha256(sink.getvalue()).hexdigest()
