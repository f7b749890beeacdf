"""The default admin: created by the deploy step, by `make run`, and again by reset."""

from __future__ import annotations

from trustreg.auth.passwords import hash_password, verify_password
from trustreg.config import get_settings
from trustreg.db.models import PERMISSIONS
from trustreg.db.uow import unit_of_work


def ensure_default_admin(reset_password: bool = False) -> None:
    """Create the default admin if missing; with `reset_password`, restore its password too."""
    settings = get_settings()
    with unit_of_work() as uow:
        admin = uow.users.by_name(settings.admin_name)
        if admin is None:
            uow.users.create(
                settings.admin_name, hash_password(settings.admin_password), True, PERMISSIONS
            )
            return
        if reset_password and not verify_password(settings.admin_password, admin.password_hash):
            admin.password_hash = hash_password(settings.admin_password)
        uow.users.set_role(admin, PERMISSIONS, is_admin=True)
