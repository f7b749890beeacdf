"""User accounts: register, list, read, change permissions, delete."""

from __future__ import annotations

from typing import Any

from trustreg.auth.passwords import hash_password
from trustreg.auth.principal import Principal
from trustreg.config import get_settings
from trustreg.db.models import PERMISSIONS, User
from trustreg.db.uow import unit_of_work
from trustreg.errors import BadRequest, Forbidden, NotFound
from trustreg.timefmt import iso_utc

MAX_NAME = 255


def user_view(user: User) -> dict[str, Any]:
    """The public shape of a user: never the hash."""
    return {
        "name": user.name,
        "is_admin": user.is_admin,
        "permissions": sorted(p.permission for p in user.permissions),
        "created_at": iso_utc(user.created_at),
    }


def validate_permissions(value: Any) -> list[str]:
    """A list drawn from upload/search/download; BadRequest otherwise."""
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise BadRequest("permissions must be a list of 'upload', 'search', 'download'")
    unknown = sorted(set(value) - set(PERMISSIONS))
    if unknown:
        raise BadRequest(f"unknown permissions: {', '.join(unknown)}")
    return sorted(set(value))


def register(name: str, password: str, is_admin: bool, permissions: list[str]) -> dict[str, Any]:
    """Create a user (the route is admin-only); Conflict when the name is taken."""
    if not name or len(name) > MAX_NAME or name.strip() != name:
        raise BadRequest(f"name must be 1-{MAX_NAME} characters without surrounding spaces")
    if len(password) < 8:
        raise BadRequest("password must be at least 8 characters")
    hashed = hash_password(password)
    with unit_of_work() as uow:
        user = uow.users.create(name, hashed, is_admin, permissions)
        return user_view(user)


def list_users() -> list[dict[str, Any]]:
    """Every user (admin view)."""
    with unit_of_work(autocommit=True) as uow:
        return [user_view(u) for u in uow.users.list()]


def get_user(caller: Principal, name: str) -> dict[str, Any]:
    """One user; users may read themselves, admins anyone."""
    if not caller.is_admin and caller.name != name:
        raise Forbidden("you may only read your own account")
    with unit_of_work(autocommit=True) as uow:
        user = uow.users.by_name(name)
        if user is None:
            raise NotFound(f"no user named {name!r}")
        return user_view(user)


def set_permissions(name: str, permissions: list[str], is_admin: bool | None) -> dict[str, Any]:
    """Replace a user's permissions (and admin flag when given); admin-only route."""
    with unit_of_work() as uow:
        user = uow.users.by_name(name)
        if user is None:
            raise NotFound(f"no user named {name!r}")
        if name == get_settings().admin_name and is_admin is False:
            raise BadRequest("the default admin cannot lose admin rights")
        uow.users.set_role(user, permissions, is_admin)
        return user_view(user)


def delete_user(caller: Principal, name: str) -> None:
    """Delete an account: yourself, or anyone if you are an admin; never the default admin."""
    if not caller.is_admin and caller.name != name:
        raise Forbidden("you may only delete your own account")
    if name == get_settings().admin_name:
        raise BadRequest("the default admin cannot be deleted")
    with unit_of_work() as uow:
        user = uow.users.by_name(name)
        if user is None:
            raise NotFound(f"no user named {name!r}")
        uow.users.delete(user)  # tokens cascade, so they stop working at once
