"""Rate models, store ratings with their history, read them back, apply the ingest gate."""

from __future__ import annotations

import time
from typing import Any

from trustreg.auth.principal import Principal
from trustreg.config import get_settings
from trustreg.db.models import Artifact
from trustreg.db.uow import UnitOfWork, unit_of_work
from trustreg.errors import Disqualified, Forbidden, NotFound, RatingFailed
from trustreg.observability import MetricName, metrics
from trustreg.rating.inputs import RatingInputs
from trustreg.rating.record import Rating, model_rating
from trustreg.services import inputs_codec
from trustreg.services.catalog import load, load_row
from trustreg.services.ids import check_id


def compute(inputs: RatingInputs) -> Rating:
    """Run every metric (in parallel) and record how long the whole rating took."""
    # Imported here: GET .../rate only reads a stored rating and need not load every metric.
    from trustreg.rating.runner import rate

    started = time.perf_counter()
    rating = rate(inputs)
    elapsed_ms = (time.perf_counter() - started) * 1000
    metrics.add_metric(name=MetricName.RATINGS_COMPUTED, unit="Count", value=1)
    metrics.add_metric(name=MetricName.RATING_DURATION_MS, unit="Milliseconds", value=elapsed_ms)
    from trustreg.services.health_series import record_events

    record_events(
        [
            ("rating:failed" if rating.failed else "rating:ok", elapsed_ms),
            *((f"rating:metric:{name}", o.latency * 1000) for name, o in rating.metrics.items()),
        ]
    )
    return rating


def enforce_gate(rating: Rating) -> None:
    """Refuse (424) a public model whose rating falls below the configured minimum."""
    from trustreg.rating.gate import gate_failures

    failures = gate_failures(rating, get_settings().ingest_min_score)
    if failures:
        metrics.add_metric(name=MetricName.INGEST_REFUSED, unit="Count", value=1)
        listed = ", ".join(f"{k}={v}" for k, v in sorted(failures.items()))
        raise Disqualified(
            f"the model's rating is below {get_settings().ingest_min_score}: {listed}",
            details={"failing_metrics": failures},
        )


def parent_scores(uow: UnitOfWork, artifact_id: str) -> list[float]:
    """Current net scores of the registered base models of an artifact."""
    parents = [
        e.parent_id
        for e in uow.artifacts.edges_of_children([artifact_id])
        if e.parent_id and e.relationship == "base_model"
    ]
    return list(uow.scores.current_net_scores(parents).values())


def store(uow: UnitOfWork, artifact: Artifact, rating: Rating) -> None:
    """Append a rating row (history is kept; the newest is current) and keep its summary on
    the artifact."""
    status = "failed" if rating.failed else "rated"
    artifact.rating_summary = rating.summary(category_of(artifact.details))
    uow.scores.add(artifact.id, status, rating.score("net_score"), {"rating": rating.to_json()})


def category_of(details: dict[str, Any]) -> str:
    """ModelRating's category: the card's, as a string (a card may give a number or a list)."""
    return str(details.get("category") or "model")


def read(
    artifact_id: str, explain: bool = False, caller: Principal | None = None
) -> dict[str, Any]:
    """The stored ModelRating (a read: no metric runs); 500 naming a metric that failed."""
    check_id(artifact_id)
    rater = None if caller is None else caller.name
    with unit_of_work(autocommit=True) as uow:
        aid, name, summary, recorded = load_row(
            lambda i, t: uow.scores.rated_model(i, t, rater), "model", artifact_id
        )
        rating = None
        if summary is None or explain:  # the whole rating (or one stored before summaries)
            stored = uow.scores.current_document(aid)
            if stored is None or "rating" not in stored:
                raise NotFound(f"model {artifact_id} has no rating yet")
            rating = Rating.from_json(stored["rating"])
            if summary is None:
                summary = rating.summary(category_of(load(uow, "model", aid).details))
        if caller is not None and not recorded:  # the one write, after everything that can refuse
            uow.events.add(aid, "RATE", caller.name, caller.is_admin)
    failed = summary["failed"]
    if failed:
        listed = ", ".join(f"{k}: {v}" for k, v in sorted(failed.items()))
        raise RatingFailed(
            f"the rating could not compute: {listed}", details={"failed_metrics": failed}
        )
    body = model_rating(name, summary["category"], summary["scores"])
    if rating is not None and explain:
        body["explanation"] = rating.explain()
    return body


def recompute(caller: Principal, artifact_id: str) -> dict[str, Any]:
    """Rate a model again from its stored evidence and current parents (uploader or admin)."""
    check_id(artifact_id)
    with unit_of_work() as uow:
        artifact = load(uow, "model", artifact_id)
        if not caller.is_admin and artifact.created_by != caller.user_id:
            raise Forbidden("only the model's uploader or an admin may re-rate it")
        stored = artifact.details.get("rating_inputs")
        if not isinstance(stored, dict):
            raise NotFound("this model has no stored rating evidence to recompute from")
        inputs = inputs_codec.with_parents(
            inputs_codec.from_dict(stored), parent_scores(uow, artifact.id)
        )
    rating = compute(inputs)
    with unit_of_work() as uow:
        artifact = load(uow, "model", artifact_id)
        store(uow, artifact, rating)
        uow.events.add(artifact.id, "RATE", caller.name, caller.is_admin)
        history = len(uow.scores.history(artifact.id))
    body = read(artifact_id)
    body["ratings_kept"] = history
    return body
