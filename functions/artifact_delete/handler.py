"""DELETE /artifacts/{artifact_type}/{id}: remove an artifact and everything stored with it."""

from trustreg.http.endpoint import endpoint
from trustreg.services.removal import delete


@endpoint("artifact_delete")
def handler(request, principal):
    delete(principal, request.param("artifact_type"), request.param("id"))
    return {"deleted": request.param("id")}
