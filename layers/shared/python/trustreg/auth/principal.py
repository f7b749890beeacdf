"""Who is calling, and what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from trustreg.errors import Forbidden, Unauthorized
from trustreg.routes import Access, Route


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    user_id: int
    name: str
    is_admin: bool
    permissions: frozenset[str]
    token_id: str

    def can(self, permission: str) -> bool:
        """True for admins and for users granted this permission."""
        return self.is_admin or permission in self.permissions


def authorize(principal: Principal, route: Route) -> None:
    """Enforce a route's access rule; the one place permissions are checked."""
    access = route.access
    if access in (Access.PUBLIC, Access.AUTHENTICATED):
        return
    if access is Access.ADMIN:
        if not principal.is_admin:
            error = Unauthorized if route.admin_denied_status == 401 else Forbidden
            raise error("this action needs an administrator")
        return
    if not principal.can(access.value):
        raise Forbidden(f"this action needs the '{access.value}' permission")
