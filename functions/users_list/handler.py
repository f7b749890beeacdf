"""GET /users (admins): every account with its permissions."""

from trustreg.http.endpoint import endpoint
from trustreg.services.accounts import list_users


@endpoint("users_list")
def handler(request, principal):
    return list_users()
