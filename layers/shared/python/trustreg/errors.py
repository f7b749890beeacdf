"""Typed domain errors. Services raise these; `http.responses` maps them to status codes once."""

from __future__ import annotations

from typing import Any


class RegistryError(Exception):
    """Base of every error a client may see; `status` is the HTTP code it maps to."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class BadRequest(RegistryError):
    status, code = 400, "bad_request"


class Unauthorized(RegistryError):
    """Wrong credentials, or (per the contract for /reset) not allowed at all."""

    status, code = 401, "unauthorized"


class Forbidden(RegistryError):
    """Missing/invalid token or missing permission: the contract uses 403 for both."""

    status, code = 403, "forbidden"


class NotFound(RegistryError):
    status, code = 404, "not_found"


class MethodNotAllowed(RegistryError):
    status, code = 405, "method_not_allowed"


class Conflict(RegistryError):
    status, code = 409, "conflict"


class PayloadTooLarge(RegistryError):
    status, code = 413, "payload_too_large"


class Disqualified(RegistryError):
    """The trust rating refused the artifact (contract: 424)."""

    status, code = 424, "disqualified"


class TooManyRequests(RegistryError):
    status, code = 429, "too_many_requests"


class RatingFailed(RegistryError):
    """A metric could not be computed (contract: 500 on /rate, naming the metric)."""

    status, code = 500, "rating_failed"


class NotImplementedYet(RegistryError):
    """A planned capability that is visibly unfinished rather than faked."""

    status, code = 501, "not_implemented"


class UpstreamError(RegistryError):
    """HuggingFace, GitHub or another source could not be reached or answered badly."""

    status, code = 502, "upstream_error"


class ServiceUnavailable(RegistryError):
    status, code = 503, "unavailable"
