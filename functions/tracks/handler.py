"""GET /tracks: the contract tracks this registry implements."""

from trustreg.http.endpoint import endpoint
from trustreg.services.registry_admin import planned_tracks


@endpoint("tracks")
def handler(request, principal):
    return {"plannedTracks": planned_tracks()}
