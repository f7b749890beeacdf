"""Logger and Metrics singletons, and the names every dashboard and alarm refers to."""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "model-registry")
NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "TrustworthyModelRegistry")


class MetricName:
    """Metric names shared by the functions (EMF) and the CDK dashboard; change them together."""

    REQUESTS = "Requests"
    ERRORS_4XX = "Errors4xx"
    ERRORS_5XX = "Errors5xx"
    LATENCY_MS = "LatencyMs"
    INGEST_ACCEPTED = "IngestAccepted"
    INGEST_REFUSED = "IngestRefusedByGate"
    INGEST_UPSTREAM_FAILED = "IngestUpstreamFailed"
    RATINGS_COMPUTED = "RatingsComputed"
    RATING_DURATION_MS = "RatingDurationMs"
    DOWNLOADS = "Downloads"
    LOGINS_REFUSED = "LoginsRefused"
    TOKENS_EXHAUSTED = "TokensExhausted"


logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
