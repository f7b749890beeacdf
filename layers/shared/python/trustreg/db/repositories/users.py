"""Users and their permissions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from trustreg.db.models import LoginAttempt, Permission, User, table_of, utcnow
from trustreg.db.repositories.base import Repository
from trustreg.db.repositories.tokens import TokenRepository
from trustreg.db.session import as_utc
from trustreg.errors import Conflict


class UserRepository(Repository):
    """Reads and writes `users`, `permissions` and `login_attempts`."""

    def by_name(self, name: str) -> User | None:
        """The user with exactly this name (case-sensitive), or None."""
        return self._s.scalar(select(User).where(User.name == name))

    def by_id(self, user_id: int) -> User | None:
        """The user with this id, or None."""
        return self._s.get(User, user_id)

    def list(self) -> list[User]:
        """Every user, by name."""
        return list(self._s.scalars(select(User).order_by(User.name)))

    def create(
        self, name: str, password_hash: str, is_admin: bool, permissions: Iterable[str]
    ) -> User:
        """Insert a user; Conflict when the name is taken (decided by the unique index)."""
        user = User(name=name, password_hash=password_hash, is_admin=is_admin)
        user.permissions = [Permission(permission=p) for p in sorted(set(permissions))]
        self._s.add(user)
        try:
            self._s.flush()
        except IntegrityError as exc:
            self._s.rollback()
            raise Conflict(f"a user named {name!r} already exists") from exc
        return user

    def lock_role(self, user_id: int) -> tuple[bool, Sequence[str]] | None:
        """Lock the user's row for this transaction and read their role: (is_admin, permissions).

        The lock is a write to the user's row (a row lock on PostgreSQL, the database's write
        lock on SQLite), taken before the role is read. `set_role` takes it first too, so a
        login that copies the role into a new token and a change of that role run one after
        the other: the token never keeps a role that was changed while it was being issued.
        """
        is_admin = self._lock(user_id)
        if is_admin is None:
            return None
        perms = table_of(Permission)
        stmt = select(perms.c.permission).where(perms.c.user_id == user_id)
        return is_admin, sorted(self._db.run(stmt).scalars())

    def _lock(self, user_id: int) -> bool | None:
        # A write that changes nothing: it takes the lock `lock_role` describes.
        users = table_of(User)
        row = self._db.run(
            update(users)
            .where(users.c.id == user_id)
            .values(is_admin=users.c.is_admin)
            .returning(users.c.is_admin)
        ).first()
        return None if row is None else bool(row[0])

    def set_role(
        self, user: User, permissions: Iterable[str], is_admin: bool | None = None
    ) -> None:
        """Replace the user's permission set (and admin flag when given), and the copy of that
        role every token of theirs carries, so a change takes effect on their next call."""
        self._lock(user.id)  # first: a login issuing a token now waits, or we wait for it
        self._s.execute(delete(Permission).where(Permission.user_id == user.id))
        self._s.flush()
        self._s.expire(user, ["permissions"])
        granted = sorted(set(permissions))
        for p in granted:
            self._s.add(Permission(user_id=user.id, permission=p))
        if is_admin is not None:
            user.is_admin = is_admin
        self._s.flush()
        self._s.expire(user, ["permissions"])
        TokenRepository(self._db).set_role(user.id, user.is_admin, granted)

    def delete(self, user: User) -> None:
        """Delete a user; their tokens and permissions go with them (cascade)."""
        self._s.delete(user)
        self._s.flush()

    def delete_all_except(self, name: str) -> None:
        """Delete every user but one (registry reset)."""
        self._s.execute(delete(User).where(User.name != name))
        self._s.execute(delete(LoginAttempt))

    # --- brute-force accounting -------------------------------------------------------------
    def login_state(self, name: str) -> LoginAttempt | None:
        """The failed-login record for a name, if any."""
        return self._s.get(LoginAttempt, name)

    def record_failure(self, name: str, window: timedelta, limit: int, lock: timedelta) -> None:
        """Count a failed login; lock the name for `lock` after `limit` failures in `window`."""
        now = utcnow()
        row = self._s.get(LoginAttempt, name, with_for_update=True)
        if row is None:
            row = LoginAttempt(name=name, failures=0, window_started_at=now)
            self._s.add(row)
        if now - as_utc(row.window_started_at) > window:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + lock
            row.failures, row.window_started_at = 0, now
        self._s.flush()

    def clear_failures(self, name: str) -> None:
        """Forget failed logins after a success."""
        self._s.execute(delete(LoginAttempt).where(LoginAttempt.name == name))

    @staticmethod
    def locked_until(row: LoginAttempt | None) -> datetime | None:
        """When the lock on a name ends, if it is locked now."""
        if row is None or row.locked_until is None:
            return None
        until = as_utc(row.locked_until)
        return until if until > utcnow() else None
