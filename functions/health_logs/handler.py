"""GET /health/logs: the latest local log lines for the dashboard, or CloudWatch links in AWS."""

from trustreg.errors import BadRequest
from trustreg.http.endpoint import endpoint
from trustreg.services.health_checks.logs import recent_logs


@endpoint("health_logs")
def handler(request, principal):
    raw = request.query.get("lines", "50")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 200:
        raise BadRequest("lines must be an integer between 1 and 200")
    return recent_logs(int(raw))
