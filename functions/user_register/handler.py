"""POST /user/register (admins): create a user with a subset of upload/search/download."""

from trustreg.http.endpoint import endpoint
from trustreg.http.parse import optional_bool, require_str
from trustreg.http.responses import Response
from trustreg.services.accounts import register, validate_permissions


@endpoint("user_register")
def handler(request, principal):
    body = request.json_object()
    user = register(
        name=require_str(body, "name"),
        password=require_str(body, "password"),
        is_admin=optional_bool(body, "is_admin", False),
        permissions=validate_permissions(body.get("permissions", [])),
    )
    return Response(status=201, body=user)
