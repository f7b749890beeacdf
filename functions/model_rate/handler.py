"""GET /artifact/model/{id}/rate: the stored rating (all 26 fields); ?explain=true says why."""

from trustreg.http.endpoint import endpoint
from trustreg.services import rating_service


@endpoint("model_rate")
def handler(request, principal):
    return rating_service.read(request.param("id"), request.flag("explain"), principal)
