"""POST /user/login: log in with a name and password; same answer as /authenticate."""

from trustreg.http.endpoint import endpoint
from trustreg.http.parse import require_str
from trustreg.services.sessions import login


@endpoint("user_login")
def handler(request, principal):
    body = request.json_object()
    return login(require_str(body, "name"), require_str(body, "password", allow_empty=True))
