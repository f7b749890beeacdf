"""PUT /user/{username}/permissions (admins): replace a user's permissions and admin flag."""

from trustreg.http.endpoint import endpoint
from trustreg.http.parse import optional_bool
from trustreg.services.accounts import set_permissions, validate_permissions


@endpoint("user_permissions")
def handler(request, principal):
    body = request.json_object()
    is_admin = optional_bool(body, "is_admin", None)
    perms = validate_permissions(body.get("permissions"))
    return set_permissions(request.param("username"), perms, is_admin)
