"""Who is calling, and what they may do."""

from __future__ import annotations

from collections.abc import Callable

from trustreg.errors import Forbidden, Unauthorized
from trustreg.routes import Access, Route

Role = tuple[bool, frozenset[str]]


class Principal:
    """The authenticated caller of one request.

    Who calls (user id, name, token) comes from the verified token. What they may do (admin,
    permissions) comes back from counting the token's use. On routes that count the use with
    their first read (fix 16 in docs/performance.md) that happens after the handler starts, so
    the role is filled in then, or, when the handler asks for it first, counted on demand.
    """

    __slots__ = ("user_id", "name", "token_id", "_role", "_count_use")

    def __init__(
        self,
        user_id: int,
        name: str,
        token_id: str,
        role: Role | None = None,
        count_use: Callable[[], None] | None = None,
    ) -> None:
        self.user_id = user_id
        self.name = name
        self.token_id = token_id
        self._role = role
        self._count_use = count_use

    def learn_role(self, role: Role) -> None:
        """The role the token's counted use returned."""
        self._role = role

    @property
    def role(self) -> Role:
        if self._role is None and self._count_use is not None:
            self._count_use()  # fills the role in, or raises: the call is refused
        if self._role is None:
            raise RuntimeError("the caller's role is not known: the token's use was not counted")
        return self._role

    @property
    def is_admin(self) -> bool:
        return self.role[0]

    @property
    def permissions(self) -> frozenset[str]:
        return self.role[1]

    def __repr__(self) -> str:
        return f"Principal(user_id={self.user_id}, name={self.name!r})"

    def can(self, permission: str) -> bool:
        """True for admins and for users granted this permission."""
        return self.is_admin or permission in self.permissions


_PERMISSIONS = (Access.SEARCH, Access.DOWNLOAD, Access.UPLOAD)


def permission_needed(route: Route) -> str | None:
    """The permission `authorize` asks of a caller who is not an admin; None when the route
    asks for none, or for an admin."""
    return route.access.value if route.access in _PERMISSIONS else None


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
    needed = permission_needed(route)
    if needed is not None and not principal.can(needed):
        raise Forbidden(f"this action needs the '{needed}' permission")
