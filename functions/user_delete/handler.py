"""DELETE /user/{username}: delete yourself, or anyone as an admin; tokens die at once."""

from trustreg.http.endpoint import endpoint
from trustreg.services.accounts import delete_user


@endpoint("user_delete")
def handler(request, principal):
    delete_user(principal, request.param("username"))
    return {"deleted": request.param("username")}
