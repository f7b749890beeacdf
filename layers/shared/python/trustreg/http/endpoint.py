"""The wrapper every Lambda handler uses: parse, authenticate, authorize, call, shape, log."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from trustreg.auth.principal import Principal
from trustreg.errors import RegistryError
from trustreg.http.request import Request
from trustreg.http.responses import Response, from_error, internal_error, to_proxy
from trustreg.observability import MetricName, logger, metrics
from trustreg.routes import Access, Route, route_for

Handler = Callable[[Request, Principal | None], Any]
LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def _call(fn: Handler, route: Route, request: Request) -> Any:
    """Authenticate and authorize the caller, then run the handler."""
    if route.access is Access.PUBLIC:
        return fn(request, None)
    from trustreg.services.sessions import Caller

    caller = Caller(request.header("X-Authorization"), route)
    logger.append_keys(user=caller.principal.name)  # from a verified signature
    if not route.count_use_with_first_read:
        caller.settle_alone()  # counted and authorized before the handler runs
        return fn(request, caller.principal)
    with caller.counting():
        return fn(request, caller.principal)


def _record(route: Route, status: int, elapsed_ms: float) -> None:
    metrics.add_metric(name=MetricName.REQUESTS, unit="Count", value=1)
    metrics.add_metric(name=MetricName.LATENCY_MS, unit="Milliseconds", value=elapsed_ms)
    if 400 <= status < 500:
        metrics.add_metric(name=MetricName.ERRORS_4XX, unit="Count", value=1)
    elif status >= 500:
        metrics.add_metric(name=MetricName.ERRORS_5XX, unit="Count", value=1)
    if route.uses_database:
        from trustreg.services.health_series import record_request

        record_request(route.function, status, elapsed_ms)


def _json_writer(route: Route) -> Callable[[Any], str]:
    if not route.uses_database:
        return json.dumps  # small bodies; orjson's import would be most of a light cold start
    from trustreg.http.json_body import body_text

    return body_text


def endpoint(function: str) -> Callable[[Handler], LambdaHandler]:
    """Turn `fn(request, principal) -> data | Response` into a Lambda proxy handler."""
    route = route_for(function)
    dumps = _json_writer(route)

    def decorate(fn: Handler) -> LambdaHandler:
        @metrics.log_metrics
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            started = time.perf_counter()
            request_id = getattr(context, "aws_request_id", "") or ""
            logger.set_correlation_id(
                (event.get("requestContext") or {}).get("requestId") or request_id
            )
            # The 500 body quotes `request_id` (Lambda's id); it must find the log lines too,
            # and API Gateway's id (the correlation id) is a different value in AWS.
            logger.append_keys(endpoint=function, user=None, request_id=request_id or None)
            metrics.add_dimension(name="endpoint", value=function)
            try:
                result = _call(fn, route, Request.from_event(event))
                response = result if isinstance(result, Response) else Response(body=result)
                proxy = to_proxy(response, dumps)
            except RegistryError as exc:
                log = logger.error if exc.status >= 500 else logger.info
                log("request refused", extra={"status": exc.status, "reason": exc.message})
                proxy = from_error(exc, request_id)
            except Exception:
                logger.exception("unhandled error")
                proxy = internal_error(request_id)
            elapsed = (time.perf_counter() - started) * 1000
            logger.info(
                "request done", extra={"status": proxy["statusCode"], "ms": round(elapsed, 2)}
            )
            try:
                _record(route, int(proxy["statusCode"]), elapsed)
            except Exception:  # metrics must never turn a served answer into an error
                logger.warning("could not record request metrics", exc_info=True)
            return proxy

        handler.__wrapped__ = fn  # type: ignore[attr-defined]
        return handler

    return decorate
