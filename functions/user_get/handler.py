"""GET /user/{username}: your own account, or anyone's for an admin."""

from trustreg.http.endpoint import endpoint
from trustreg.services.accounts import get_user


@endpoint("user_get")
def handler(request, principal):
    return get_user(principal, request.param("username"))
