"""GET /health/components: per-component status, issues, metrics, timeline and log links."""

from trustreg.http.endpoint import endpoint
from trustreg.services.health_components import component_collection, parse_window


@endpoint("health_components")
def handler(request, principal):
    window = parse_window(request.query.get("windowMinutes"))
    return component_collection(window, request.flag("includeTimeline"))
