"""DELETE /reset (admins): back to an empty registry with only the default admin."""

from trustreg.http.endpoint import endpoint
from trustreg.services.registry_admin import reset


@endpoint("registry_reset")
def handler(request, principal):
    reset()
    return {"status": "reset"}
