"""Sensitive models: one JavaScript check per model, run before every download."""

from __future__ import annotations

import hashlib
import os
import tempfile
from typing import Any

from trustreg.auth.principal import Principal
from trustreg.db.models import Artifact
from trustreg.db.uow import unit_of_work
from trustreg.errors import BadRequest, Forbidden, NotFound
from trustreg.services.catalog import load


def _owned(uow: Any, caller: Principal, artifact_id: str) -> Artifact:
    artifact = load(uow, "model", artifact_id)
    if not caller.is_admin and artifact.created_by != caller.user_id:
        raise Forbidden("only the model's uploader or an admin may change its sensitive check")
    return artifact


def program_from_body(body: bytes, content_type: str | None) -> str:
    """The program, sent as JSON `{"program": "..."}` or as the raw JavaScript text."""
    from trustreg.security.sensitive_check import validate_program

    if (content_type or "").startswith("application/json"):
        import json

        try:
            data = json.loads(body or b"null")
        except ValueError as exc:
            raise BadRequest("the request body is not valid JSON") from exc
        if not isinstance(data, dict) or not isinstance(data.get("program"), str):
            raise BadRequest("send {'program': '<javascript>'} or the program as text")
        return validate_program(data["program"])
    return validate_program(body)


def attach(caller: Principal, artifact_id: str, program: str) -> dict[str, Any]:
    """Mark a model sensitive with this program (replacing any earlier one)."""
    digest = hashlib.sha256(program.encode()).hexdigest()
    with unit_of_work() as uow:
        artifact = _owned(uow, caller, artifact_id)
        artifact.details = {
            **artifact.details,
            "sensitive_program": program,
            "sensitive_program_sha256": digest,
        }
    return {"id": artifact_id, "sensitive": True, "program_sha256": digest}


def remove(caller: Principal, artifact_id: str) -> dict[str, Any]:
    """Drop the model's program; the model is no longer sensitive."""
    with unit_of_work() as uow:
        artifact = _owned(uow, caller, artifact_id)
        if "sensitive_program" not in artifact.details:
            raise NotFound("this model has no sensitive-check program")
        artifact.details = {
            k: v for k, v in artifact.details.items() if not k.startswith("sensitive_program")
        }
    return {"id": artifact_id, "sensitive": False}


def describe(caller: Principal, artifact_id: str) -> dict[str, Any]:
    """The program and its digest (uploader and admins only)."""
    with unit_of_work() as uow:
        artifact = _owned(uow, caller, artifact_id)
        program = artifact.details.get("sensitive_program")
        if not program:
            raise NotFound("this model has no sensitive-check program")
        return {
            "id": artifact_id,
            "sensitive": True,
            "program": program,
            "program_sha256": artifact.details.get("sensitive_program_sha256"),
        }


def run_for_download(artifact: Artifact, caller: Principal, blob_key: str) -> tuple[bool, str]:
    """Run the program with MODEL_NAME UPLOADER DOWNLOADER ZIP_PATH; (allowed, verdict text).

    Locally the zip is copied to a temporary file for the run; in AWS the check Lambda reads
    it from the bucket by key itself.
    """
    from trustreg.security.sensitive_check import LambdaRunner, get_runner, run_check
    from trustreg.storage import get_blob_store

    program = str(artifact.details["sensitive_program"])
    runner = get_runner()
    args = {
        "model_name": artifact.name,
        "uploader": artifact.created_by_name or "",
        "downloader": caller.name,
    }
    if isinstance(runner, LambdaRunner):
        verdict = run_check(program, zip_path=blob_key, runner=runner, **args)
    else:
        with tempfile.TemporaryDirectory(prefix="sensitive-") as workdir:
            path = os.path.join(workdir, "package.zip")
            with open(path, "wb") as fh:
                get_blob_store().get_to_file(blob_key, fh)
            verdict = run_check(program, zip_path=path, runner=runner, **args)
    if verdict.allowed:
        return True, "allowed (exit 0)"
    why = "timed out" if verdict.timed_out else f"exit code {verdict.exit_code}"
    return False, f"{why}; program output: {verdict.stdout.strip()}"
