"""GET /health: liveness in milliseconds; imports no database or AWS SDK code."""

from trustreg.http.endpoint import endpoint
from trustreg.services.heartbeat import heartbeat


@endpoint("health")
def handler(request, principal):
    return heartbeat()
