"""Uploading zipped packages: directly in the request, or through a signed upload slot.

The slot tests PUT the zip to the signed `/_blobs/` URL over real HTTP, served by the local
server in a thread (`blob_server`): the same signature check a client meets, no shortcut.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.support.artifacts import (  # noqa: F401 - fixtures
    HF_PACKAGE,
    blob_root,
    blob_server,
    bomb_zip,
    files_under,
    http,
    list_all,
    make_user,
    open_gate,
    read_signed_blob,
    sha256,
    symlink_zip,
    zip_bytes,
    zip_names,
)


def upload(
    client, data: bytes, name: str | None = "tiny-uploaded-model", kind: str = "model", q=""
):
    query = f"?name={name}{q}" if name is not None else (f"?{q.lstrip('&')}" if q else "")
    return client.post(f"/artifact/{kind}/upload{query}", raw=data, content_type="application/zip")


def evil_zip(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("pkg/README.md", b"# pkg\n")
        archive.writestr(zipfile.ZipInfo(name), b"owned")
    return buf.getvalue()


def test_given_an_hf_style_zip_when_uploaded_then_201_rated_and_downloadable_unchanged(
    hub_api, hub_env
):
    data = zip_bytes()
    r = upload(hub_api, data, q="&version=1.2.3")

    assert r.status == 201, r.body
    meta = r.body["metadata"]
    assert meta["name"] == "tiny-uploaded-model" and meta["type"] == "model"
    assert r.body["data"]["download_url"].endswith(f"/artifacts/model/{meta['id']}/download")

    rating = hub_api.get(f"/artifact/model/{meta['id']}/rate")
    assert rating.status == 200, rating.body
    assert len(rating.body) == 26
    assert rating.body["name"] == "tiny-uploaded-model"

    dl = hub_api.get(f"/artifacts/model/{meta['id']}/download?format=json")
    fetched = read_signed_blob(dl.body["url"])
    assert sha256(fetched) == dl.body["sha256"] == sha256(data)
    assert zip_names(fetched) == set(HF_PACKAGE)


def test_given_an_uploaded_card_when_searching_then_its_text_is_found(hub_api, hub_env):
    meta = upload(hub_api, zip_bytes()).body["metadata"]
    r = hub_api.post("/artifact/byRegEx", {"regex": "Say hello to the uploaded"})
    assert r.status == 200 and [a["id"] for a in r.body] == [meta["id"]]


def test_given_an_uploaded_dataset_when_uploaded_then_201_without_a_rating(hub_api, hub_env):
    data = zip_bytes({"squad/README.md": b"# squad\n", "squad/data/train.csv": b"a,b\n1,2\n"})
    r = upload(hub_api, data, name="internal-squad", kind="dataset")
    assert r.status == 201, r.body
    assert r.body["metadata"]["type"] == "dataset"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (evil_zip("../evil"), ".."),
        (evil_zip("pkg/../../evil"), ".."),
        (evil_zip("/etc/cron.d/evil"), "absolute"),
        (symlink_zip(), "symbolic link"),
        (bomb_zip(), "zip bomb"),
        (b"this is not a zip at all" * 10, "zip"),
    ],
    ids=["dotdot", "nested-dotdot", "absolute", "symlink", "bomb", "not-a-zip"],
)
def test_given_a_hostile_or_broken_zip_when_uploaded_then_400_with_the_reason_and_nothing_left(
    hub_api, hub_env, data, reason
):
    r = upload(hub_api, data)
    assert r.status == 400, r.body
    assert reason in r.message.lower(), r.message
    assert list_all(hub_api) == []
    assert files_under(blob_root()) == []


def test_given_an_empty_body_when_uploading_then_400(hub_api, hub_env):
    r = upload(hub_api, b"")
    assert r.status == 400
    assert "zip" in r.message
    assert list_all(hub_api) == []


@pytest.mark.parametrize("name", [None, "", "*", "%20padded%20"])
def test_given_no_usable_name_when_uploading_then_400(hub_api, hub_env, name):
    r = upload(hub_api, zip_bytes(), name=name)
    assert r.status == 400, r.body
    assert list_all(hub_api) == []
    assert files_under(blob_root()) == []


@pytest.mark.parametrize("name", ["nul%00inside", "tab%09inside"])
def test_given_a_name_with_control_characters_when_uploading_then_not_a_server_error(
    hub_api, hub_env, name
):
    r = upload(hub_api, zip_bytes(), name=name)
    assert r.status in (201, 400), r.body


def test_given_a_bad_version_when_uploading_then_400(hub_api, hub_env):
    assert upload(hub_api, zip_bytes(), q="&version=banana").status == 400


def test_given_a_user_without_upload_permission_when_uploading_then_403(hub_api, hub_env):
    reader = make_user(hub_api, "reader", ["search", "download"])
    assert upload(reader, zip_bytes()).status == 403
    assert list_all(hub_api) == []


# --- upload slots -----------------------------------------------------------------------------
def open_slot(client, name="big-model", kind="model", **extra):
    r = client.post(f"/artifact/{kind}/upload-slot", {"name": name, **extra})
    assert r.status == 201, r.body
    return r.body


def test_given_a_slot_when_the_zip_is_put_and_finalized_then_201_and_the_upload_blob_is_gone(
    hub_api, hub_env, blob_server
):
    data = zip_bytes()
    slot = open_slot(hub_api, version="2.0.0")
    assert slot["method"] == "PUT" and slot["upload_url"].startswith(blob_server)
    assert slot["finalize_path"].endswith(f"/upload-slot/{slot['upload_id']}/finalize")

    status, _, _ = http("PUT", slot["upload_url"], data, {"Content-Type": "application/zip"})
    assert status == 200
    assert len(files_under(blob_root() / "uploads")) == 1

    r = hub_api.post(slot["finalize_path"])

    assert r.status == 201, r.body
    assert r.body["metadata"]["name"] == "big-model"
    assert files_under(blob_root() / "uploads") == []
    from trustreg.db.uow import unit_of_work

    with unit_of_work() as uow:
        assert uow.artifacts.get(r.body["metadata"]["id"]).version == "2.0.0"
    dl = hub_api.get(f"/artifacts/model/{r.body['metadata']['id']}/download?format=json")
    status, _, fetched = http("GET", dl.body["url"])
    assert status == 200 and sha256(fetched) == sha256(data) == dl.body["sha256"]
    # a finalized slot cannot be finalized twice
    assert hub_api.post(slot["finalize_path"]).status == 404


def test_given_a_slot_when_finalized_with_nothing_uploaded_then_400(hub_api, hub_env, blob_server):
    slot = open_slot(hub_api)
    r = hub_api.post(slot["finalize_path"])
    assert r.status == 400
    assert "nothing was uploaded" in r.message
    assert list_all(hub_api) == []


def test_given_a_hostile_zip_in_a_slot_when_finalized_then_400_and_nothing_left(
    hub_api, hub_env, blob_server
):
    slot = open_slot(hub_api)
    assert http("PUT", slot["upload_url"], evil_zip("../evil"))[0] == 200

    r = hub_api.post(slot["finalize_path"])

    assert r.status == 400, r.body
    assert list_all(hub_api) == []
    assert files_under(blob_root()) == []


def test_given_someone_elses_slot_when_they_finalize_then_403_and_the_owner_still_can(
    hub_api, hub_env, blob_server
):
    owner = make_user(hub_api, "owner", ["upload", "search"])
    intruder = make_user(hub_api, "intruder", ["upload", "search"])
    slot = open_slot(owner)
    assert http("PUT", slot["upload_url"], zip_bytes())[0] == 200

    assert intruder.post(slot["finalize_path"]).status == 403
    assert list_all(hub_api) == []

    assert owner.post(slot["finalize_path"]).status == 201


def test_given_a_tampered_signed_url_when_putting_then_403_and_nothing_stored(
    hub_api, hub_env, blob_server
):
    slot = open_slot(hub_api)
    tampered = slot["upload_url"].replace("uploads/", "artifacts/model/")
    assert http("PUT", tampered, zip_bytes())[0] == 403
    forged = slot["upload_url"][:-4] + "0000"
    assert http("PUT", forged, zip_bytes())[0] == 403
    assert files_under(blob_root()) == []


def test_given_a_download_url_when_used_to_put_then_403(hub_api, hub_env, blob_server):
    meta = upload(hub_api, zip_bytes()).body["metadata"]
    dl = hub_api.get(f"/artifacts/model/{meta['id']}/download?format=json").body
    assert http("PUT", dl["url"], b"overwrite")[0] == 403
    status, _, fetched = http("GET", dl["url"])
    assert status == 200 and sha256(fetched) == dl["sha256"]


def test_given_a_slot_of_another_type_when_finalized_under_the_wrong_type_then_404(
    hub_api, hub_env, blob_server
):
    slot = open_slot(hub_api)
    r = hub_api.post(f"/artifact/dataset/upload-slot/{slot['upload_id']}/finalize")
    assert r.status == 404


@pytest.mark.parametrize("body", [{}, {"name": "*"}, {"name": 7}, {"name": "x", "version": "no"}])
def test_given_a_bad_slot_request_when_opening_then_400(hub_api, hub_env, body):
    assert hub_api.post("/artifact/model/upload-slot", body).status == 400


@pytest.mark.parametrize(
    ("config", "card_tag", "category"),
    [
        (b'{"model_type": "bert\\u0000x"}', "fill-mask", "fill-mask"),
        (b'{"model_type": "bert\\ud800x"}', "fill-mask", "fill-mask"),
        (b'{"model_type": "bert"}', '"text\\0classification"', "text\ufffdclassification"),
    ],
    ids=["nul-in-config", "lone-surrogate-in-config", "nul-in-card"],
)
def test_given_a_nul_or_lone_surrogate_in_a_package_when_uploaded_then_kept_as_replacement(
    hub_api, hub_env, config, card_tag, category
):
    # PostgreSQL's jsonb refuses both characters; the package must not fail with a 500 for it.
    card = CARD_WITH_TAG.format(tag=card_tag).encode()
    data = zip_bytes({**HF_PACKAGE, "tiny/config.json": config, "tiny/README.md": card})
    r = upload(hub_api, data, name="odd-characters")
    assert r.status == 201, r.body
    rating = hub_api.get(f"/artifact/model/{r.body['metadata']['id']}/rate")
    assert rating.status == 200, rating.body
    assert rating.body["category"] == category


CARD_WITH_TAG = "---\nlicense: apache-2.0\npipeline_tag: {tag}\n---\n# odd-characters\n"


@pytest.mark.parametrize(
    ("config", "header", "body"),
    [
        (b'{"model_type": "bert"}', "eval_loss: .nan", ""),
        (b'{"model_type": "bert"}', "eval_loss: -.inf", ""),
        (b'{"model_type": "bert", "dropout": NaN}', "a: 1", ""),
        (b'{"model_type": "bert"}', "date: 2024-01-01", ""),
        (b'{"model_type": "bert"}', "a: 1", "nul \x00 in the text"),
        (b'{"model_type": "bert"}', "results:\n  2024-01-01: 0.9", ""),
        (b'{"model_type": "bert"}', "a: &x [*x]", ""),
        (b'{"model_type": "bert"}', 'base_model: "x\\0y"', ""),
        (b'{"model_type": "bert", "base_model": "\\ud800"}', "a: 1", ""),
        (b'{"model_type": "bert", "x": "\\\\ud83e\\udd17"}', "a: 1", ""),
    ],
    ids=[
        "yaml-nan",
        "yaml-infinity",
        "config-nan",
        "yaml-date",
        "nul-in-readme",
        "yaml-date-key",
        "yaml-self-alias",
        "nul-in-base-model",
        "lone-surrogate-base-model",
        "escaped-backslash-before-lone-surrogate",
    ],
)
def test_given_values_json_or_postgres_cannot_hold_when_uploaded_then_201_and_readable(
    hub_api, hub_env, config, header, body
):
    card = f"---\nlicense: apache-2.0\n{header}\n---\n# odd-values\n{body}\n".encode()
    data = zip_bytes({**HF_PACKAGE, "tiny/config.json": config, "tiny/README.md": card})
    r = upload(hub_api, data, name="odd-values")
    assert r.status == 201, r.body
    aid = r.body["metadata"]["id"]
    assert hub_api.get(f"/artifact/model/{aid}/rate").status == 200
    assert hub_api.get(f"/artifact/model/{aid}/lineage").status == 200
    found = hub_api.post("/artifact/byRegEx", {"regex": "# odd-values"})
    assert found.status == 200 and [a["id"] for a in found.body] == [aid]
