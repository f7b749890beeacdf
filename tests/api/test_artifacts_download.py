"""Downloads: signed URLs, parts, integrity, who may download, and the history they leave."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import pytest

from tests.support.artifacts import (  # noqa: F401 - fixtures
    make_user,
    read_signed_blob,
    sha256,
    zip_bytes,
    zip_names,
)

UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def upload(client, entries=None, name="tiny-uploaded-model"):
    r = client.post(
        f"/artifact/model/upload?name={name}",
        raw=zip_bytes(entries),
        content_type="application/zip",
    )
    assert r.status == 201, r.body
    return r.body["metadata"]


@pytest.fixture
def model(hub_api, hub_env):
    return upload(hub_api)


def test_given_a_model_when_downloaded_as_json_then_url_part_sha_and_size(hub_api, model):
    r = hub_api.get(f"/artifacts/model/{model['id']}/download?format=json")
    assert r.status == 200, r.body
    assert {"url", "part", "sha256", "size"} <= set(r.body)
    assert r.body["part"] == "full"
    data = read_signed_blob(r.body["url"])
    assert len(data) == r.body["size"] and sha256(data) == r.body["sha256"]


def test_given_a_model_when_downloaded_by_default_then_302_to_the_signed_url(hub_api, model):
    r = hub_api.get(f"/artifacts/model/{model['id']}/download")
    assert r.status == 302
    location = r.headers["Location"]
    assert "/_blobs/" in location and "sig=" in location and "expires=" in location
    assert zip_names(read_signed_blob(location))


def test_given_an_accept_json_header_when_downloading_then_json(hub_api, model):
    r = hub_api.get(
        f"/artifacts/model/{model['id']}/download", headers={"Accept": "application/json"}
    )
    assert r.status == 200 and r.body["url"]


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("weights", {"tiny/model.safetensors"}),
        ("card", {"tiny/README.md", "tiny/config.json"}),
        ("datasets", {"tiny/data/train.csv"}),
        (
            "full",
            {"tiny/README.md", "tiny/config.json", "tiny/model.safetensors", "tiny/data/train.csv"},
        ),
    ],
)
def test_given_a_part_when_downloaded_then_the_zip_holds_only_those_files(
    hub_api, model, part, expected
):
    r = hub_api.get(f"/artifacts/model/{model['id']}/download?format=json&part={part}")
    assert r.status == 200, r.body
    assert r.body["part"] == part
    data = read_signed_blob(r.body["url"])
    assert zip_names(data) == expected
    assert sha256(data) == r.body["sha256"] and len(data) == r.body["size"]


def test_given_a_part_downloaded_twice_then_the_same_bytes(hub_api, model):
    first = hub_api.get(f"/artifacts/model/{model['id']}/download?format=json&part=weights").body
    second = hub_api.get(f"/artifacts/model/{model['id']}/download?format=json&part=weights").body
    assert first["sha256"] == second["sha256"]
    assert sha256(read_signed_blob(second["url"])) == second["sha256"]


def test_given_a_package_without_data_when_downloading_datasets_then_404(hub_api, hub_env):
    meta = upload(hub_api, {"m/README.md": b"# m\n", "m/model.safetensors": b"\x00" * 64})
    r = hub_api.get(f"/artifacts/model/{meta['id']}/download?part=datasets")
    assert r.status == 404
    assert "datasets" in r.message


def test_given_an_unknown_part_when_downloading_then_400(hub_api, model):
    r = hub_api.get(f"/artifacts/model/{model['id']}/download?part=secrets")
    assert r.status == 400
    assert "weights" in r.message


def test_given_unknown_or_malformed_ids_when_downloading_then_404_or_400(hub_api, model):
    assert hub_api.get("/artifacts/model/0123456789abcdef01234567/download").status == 404
    assert hub_api.get(f"/artifacts/dataset/{model['id']}/download").status == 404
    assert hub_api.get("/artifacts/model/bad_id!/download").status == 400


def test_given_a_tampered_signed_url_then_the_signature_check_refuses_it(hub_api, model):
    from trustreg.errors import Forbidden

    url = hub_api.get(f"/artifacts/model/{model['id']}/download?format=json").body["url"]
    with pytest.raises(Forbidden):
        read_signed_blob(re.sub(r"sig=[0-9a-f]{4}", "sig=0000", url))
    with pytest.raises(Forbidden):
        read_signed_blob(re.sub(r"expires=(\d+)", lambda m: f"expires={int(m[1]) + 60}", url))


def test_given_downloads_then_the_history_lists_user_date_and_part_newest_first(hub_api, model):
    user = make_user(hub_api, "downloader", ["search", "download"])
    assert user.get(f"/artifacts/model/{model['id']}/download?part=weights").status == 302
    assert hub_api.get(f"/artifacts/model/{model['id']}/download?part=card").status == 302

    r = hub_api.get(f"/artifacts/model/{model['id']}/downloads")

    assert r.status == 200, r.body
    assert [(h["user"], h["part"]) for h in r.body] == [
        ("ece30861defaultadminuser", "card"),
        ("downloader", "weights"),
    ]
    assert all(UTC_Z.match(h["date"]) for h in r.body)
    audit = hub_api.get(f"/artifact/model/{model['id']}/audit").body
    downloads = [e for e in audit if e["action"] == "DOWNLOAD"]
    assert [e["user"]["name"] for e in downloads] == ["downloader", "ece30861defaultadminuser"]


def test_given_a_user_without_download_permission_when_downloading_then_403_and_not_recorded(
    hub_api, model
):
    reader = make_user(hub_api, "reader", ["search"])
    r = reader.get(f"/artifacts/model/{model['id']}/download")
    assert r.status == 403
    assert hub_api.get(f"/artifacts/model/{model['id']}/downloads").body == []


def test_given_a_user_who_is_not_the_uploader_when_reading_the_history_then_403(hub_api, model):
    user = make_user(hub_api, "curious", ["search", "download", "upload"])
    assert user.get(f"/artifacts/model/{model['id']}/downloads").status == 403
    mine = upload(user, name="mine")
    assert user.get(f"/artifacts/model/{mine['id']}/downloads").status == 200


def test_given_a_reference_artifact_when_downloading_then_404_and_nothing_recorded(hub_api):
    ref = hub_api.post("/artifact/code", {"url": "https://git.example.org/team/tool"}).body
    aid = ref["metadata"]["id"]
    r = hub_api.get(f"/artifacts/code/{aid}/download")
    assert r.status == 404
    assert hub_api.get(f"/artifacts/code/{aid}/downloads").body == []


# --- S3 (moto) --------------------------------------------------------------------------------
@pytest.fixture
def s3_bucket(monkeypatch: pytest.MonkeyPatch, database) -> Iterator[object]:
    """The registry's blob store on a moto S3 bucket."""
    moto = pytest.importorskip("moto")
    import boto3

    from trustreg.config import reset_settings
    from trustreg.storage import reset_blob_store

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "BLOB_BUCKET": "registry-test-blobs",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("S3_ENDPOINT_URL", raising=False)
    with moto.mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="registry-test-blobs")
        reset_settings()
        reset_blob_store()
        yield s3
    monkeypatch.delenv("BLOB_BUCKET")
    reset_settings()
    reset_blob_store()


def _s3_key(url: str, bucket: str) -> str:
    parts = urlsplit(url)
    path = unquote(parts.path.lstrip("/"))
    return path[len(bucket) + 1 :] if parts.hostname.startswith("s3") else path


def test_given_an_s3_store_when_uploading_and_downloading_then_a_sigv4_url_to_identical_bytes(
    api, s3_bucket
):
    data = zip_bytes()
    meta = upload(api)
    objects = s3_bucket.list_objects_v2(Bucket="registry-test-blobs")["Contents"]
    assert any(o["Key"].startswith(f"artifacts/model/{meta['id']}/") for o in objects)

    for part in ("full", "weights"):
        r = api.get(f"/artifacts/model/{meta['id']}/download?format=json&part={part}")
        assert r.status == 200, r.body
        url = r.body["url"]
        assert "X-Amz-Signature=" in url and "X-Amz-Expires=" in url
        assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url
        body = s3_bucket.get_object(
            Bucket="registry-test-blobs", Key=_s3_key(url, "registry-test-blobs")
        )
        fetched = body["Body"].read()
        assert sha256(fetched) == r.body["sha256"]
        if part == "full":
            assert fetched == data


def test_given_an_s3_store_when_an_artifact_is_deleted_then_its_objects_are_gone(api, s3_bucket):
    meta = upload(api)
    assert api.get(f"/artifacts/model/{meta['id']}/download?part=card").status == 302
    assert api.delete(f"/artifacts/model/{meta['id']}").status == 200
    listed = s3_bucket.list_objects_v2(Bucket="registry-test-blobs").get("Contents", [])
    assert [o["Key"] for o in listed if meta["id"] in o["Key"]] == []


def test_given_an_s3_store_when_opening_an_upload_slot_then_a_presigned_put_url(api, s3_bucket):
    r = api.post("/artifact/model/upload-slot", {"name": "big"})
    assert r.status == 201, r.body
    assert "X-Amz-Signature=" in r.body["upload_url"]
    key = _s3_key(r.body["upload_url"], "registry-test-blobs")
    s3_bucket.put_object(Bucket="registry-test-blobs", Key=key, Body=zip_bytes())
    done = api.post(r.body["finalize_path"])
    assert done.status == 201, done.body
    listed = s3_bucket.list_objects_v2(Bucket="registry-test-blobs").get("Contents", [])
    assert not any(o["Key"].startswith("uploads/") for o in listed)
