"""Register an artifact from a URL: gather, rate, gate, then store (blob first, rows second)."""

from __future__ import annotations

import tempfile
from typing import Any

from trustreg.auth.principal import Principal
from trustreg.db.uow import unit_of_work
from trustreg.errors import BadRequest, Conflict, Disqualified, UpstreamError
from trustreg.http.parse import optional_str, require_str
from trustreg.observability import MetricName, metrics
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.record import Rating
from trustreg.services import inputs_codec, rating_service, registration
from trustreg.services.catalog import load
from trustreg.services.health_series import record_event
from trustreg.services.ids import check_type
from trustreg.services.registration import Gathered, resolve_parents
from trustreg.services.views import envelope
from trustreg.sources.urls import SourceRef, parse_source_url

MAX_NAME = 512


def _gather(
    ref: SourceRef, artifact_type: str, name: str, workdir: str
) -> tuple[Gathered, RatingInputs | None]:
    from trustreg.services.gather_github import gather_github, gather_reference
    from trustreg.services.gather_hf import gather_hf

    host = _source_host(ref)
    try:
        if ref.kind in ("hf_model", "hf_dataset"):
            gathered = gather_hf(ref, artifact_type, name, workdir)
        elif ref.kind == "github":
            gathered = gather_github(ref, artifact_type, name, workdir), None
        else:
            return gather_reference(ref, artifact_type, name), None
    except UpstreamError:
        metrics.add_metric(name=MetricName.INGEST_UPSTREAM_FAILED, unit="Count", value=1)
        record_event(f"upstream:{host}:error")
        record_event("ingest:failed")
        raise
    record_event(f"upstream:{host}:ok")
    return gathered


def _source_host(ref: SourceRef) -> str:
    from urllib.parse import urlsplit

    from trustreg.config import get_settings

    base = (
        get_settings().hf_endpoint if ref.kind.startswith("hf_") else get_settings().github_api_url
    )
    return urlsplit(base).hostname or "unknown"


def rate_gathered(g: Gathered, inputs: RatingInputs | None, gate: bool) -> Rating | None:
    """Rate a gathered model with its registered parents' scores; gate public models (424)."""
    if inputs is None:
        return None
    with unit_of_work() as uow:
        edges = resolve_parents(uow, [dict(e) for e in g.edges])
        parents = [
            e["parent_id"]
            for e in edges
            if e.get("parent_id") and e["relationship"] == "base_model"
        ]
        scores = list(uow.scores.current_net_scores(parents).values())
    inputs = inputs_codec.with_parents(inputs, scores)
    rating = rating_service.compute(inputs)
    if gate:
        rating_service.enforce_gate(rating)
    g.details["rating_inputs"] = inputs_codec.to_dict(inputs)
    return rating


def parse_body(body: dict[str, Any], artifact_type: str) -> tuple[SourceRef, str | None]:
    """The source URL (parsed and checked) and the optional verbatim name."""
    check_type(artifact_type)
    url = require_str(body, "url", max_len=2048)
    name = optional_str(body, "name", max_len=MAX_NAME)
    if name is not None and (name == "*" or name != name.strip()):
        raise BadRequest("name may not be '*' or have surrounding spaces")
    return parse_source_url(url, artifact_type), name


def _name_from_url(ref: SourceRef) -> str:
    """The name an ingest gets when the body gives none: the URL's last path segment."""
    name = ref.default_name
    if len(name) > MAX_NAME or not name.isprintable():
        raise BadRequest(
            f"the URL's last segment cannot name an artifact (over {MAX_NAME} characters or "
            "holding control characters); give a 'name' in the body"
        )
    return name


def ingest(
    caller: Principal, artifact_type: str, body: dict[str, Any], base_url: str
) -> dict[str, Any]:
    """POST /artifact/{type}: 201 with the Artifact; 409 duplicate, 424 disqualified."""
    ref, name = parse_body(body, artifact_type)
    with unit_of_work() as uow:
        if uow.artifacts.by_source(artifact_type, ref.url) is not None:
            raise Conflict(f"a {artifact_type} from {ref.url} is already registered")
    with tempfile.TemporaryDirectory(prefix="ingest-") as workdir:
        g, inputs = _gather(ref, artifact_type, name or _name_from_url(ref), workdir)
        try:
            rating = rate_gathered(g, inputs, gate=ref.kind == "hf_model")
        except Disqualified:
            record_event("ingest:refused")
            raise
        artifact = registration.create(caller, g, rating)
    record_event("ingest:accepted")
    return envelope(artifact, base_url)


def update(
    caller: Principal, artifact_type: str, artifact_id: str, body: dict[str, Any], base_url: str
) -> dict[str, Any]:
    """PUT /artifacts/{type}/{id}: replace the contents from a new URL; name and id must match."""
    metadata = body.get("metadata")
    data = body.get("data")
    if not isinstance(metadata, dict) or not isinstance(data, dict):
        raise BadRequest("the body must be an Artifact with 'metadata' and 'data'")
    with unit_of_work() as uow:
        current = load(uow, artifact_type, artifact_id)
        if metadata.get("id") != current.id or metadata.get("name") != current.name:
            raise BadRequest("metadata.id and metadata.name must match the artifact being updated")
        if metadata.get("type") not in (None, artifact_type):
            raise BadRequest("metadata.type must match the path's artifact type")
        if not caller.is_admin and current.created_by != caller.user_id:
            from trustreg.errors import Forbidden

            raise Forbidden("only the artifact's uploader or an admin may update it")
        name = current.name
    ref, _ = parse_body({"url": data.get("url")}, artifact_type)
    with tempfile.TemporaryDirectory(prefix="update-") as workdir:
        g, inputs = _gather(ref, artifact_type, name, workdir)
        rating = rate_gathered(g, inputs, gate=ref.kind == "hf_model")
        artifact = registration.replace_contents(caller, artifact_id, g, rating)
    return envelope(artifact, base_url)
