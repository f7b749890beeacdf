"""GET /artifact/{artifact_type}/{id}/audit: who did what to an artifact, and when."""

from trustreg.http.endpoint import endpoint
from trustreg.services import catalog


@endpoint("artifact_audit")
def handler(request, principal):
    return catalog.audit(principal, request.param("artifact_type"), request.param("id"))
