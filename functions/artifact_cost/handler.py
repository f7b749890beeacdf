"""GET /artifact/{artifact_type}/{id}/cost: download size in MB, optionally with dependencies."""

from trustreg.http.endpoint import endpoint
from trustreg.services.cost import cost


@endpoint("artifact_cost")
def handler(request, principal):
    return cost(request.param("artifact_type"), request.param("id"), request.flag("dependency"))
