"""PUT /authenticate: the contract's login; answers the JSON string `bearer <token>`."""

from trustreg.http.endpoint import endpoint
from trustreg.http.parse import require_bool, require_object, require_str
from trustreg.services.sessions import login


@endpoint("authenticate")
def handler(request, principal):
    body = request.json_object()
    user = require_object(body, "user")
    secret = require_object(body, "secret")
    name = require_str(user, "name", "user.name")
    if "is_admin" in user:
        require_bool(user, "is_admin", "user.is_admin")
    return login(name, require_str(secret, "password", "secret.password", allow_empty=True))
