"""GET /artifact/byName/{name}: every artifact with exactly this name."""

from trustreg.http.endpoint import endpoint
from trustreg.services import catalog


@endpoint("artifact_by_name")
def handler(request, principal):
    return catalog.by_name(request.param("name"))
