"""SQLAlchemy 2.0 typed models: the registry's tables."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeEngine

from trustreg.plain_json import clean_text

ARTIFACT_TYPES = ("model", "dataset", "code")
PERMISSIONS = ("upload", "search", "download")


def utcnow() -> datetime:
    """Timezone-aware now, in UTC."""
    return datetime.now(UTC)


def new_artifact_id() -> str:
    """An unguessable id matching the contract's `^[a-zA-Z0-9-]+$` (96 random bits)."""
    return secrets.token_hex(12)


class OutsideText(TypeDecorator[str]):
    """Text that comes from outside (a README, a check program's output): NUL and lone
    surrogates, which PostgreSQL refuses, are stored as U+FFFD on both databases."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else clean_text(value)


class Document(TypeDecorator[dict[str, Any]]):
    """A JSON document: jsonb on PostgreSQL, JSON text elsewhere.

    The hot reads pick single keys out of documents, and a key of a json value costs a parse of
    the whole document (~40 us for an ingested model's 16 KB of details), of a jsonb value a
    lookup (docs/performance.md, fix 12). The PostgreSQL dialect is imported when a PostgreSQL
    engine first uses the type, not with the models: it costs 18 ms of every function's import.
    """

    impl = JSON
    cache_ok = True

    def __init__(self, none_as_null: bool = False) -> None:
        # none_as_null: Python None is SQL NULL, not the JSON value null (which SQLAlchemy
        # writes for None by default, and `IS NULL` does not see).
        super().__init__(none_as_null=none_as_null)
        self.none_as_null = none_as_null

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB(none_as_null=self.none_as_null))
        return dialect.type_descriptor(JSON(none_as_null=self.none_as_null))


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: Document, datetime: DateTime(timezone=True)}


def table_of(model: type[Base]) -> Table:
    """The Core table behind a model: the hot statements are built on it, since an ORM-enabled
    statement pays per-call setup that costs more than the query (docs/performance.md, fix 10)."""
    return cast(Table, model.__table__)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    permissions: Mapped[list[Permission]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )


class Permission(Base):
    __tablename__ = "permissions"
    __table_args__ = (
        CheckConstraint("permission IN ('upload', 'search', 'download')", name="ck_permission"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    permission: Mapped[str] = mapped_column(String(16), primary_key=True)


class AuthToken(Base):
    __tablename__ = "auth_tokens"
    __table_args__ = (Index("ix_auth_tokens_user_id", "user_id"),)

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    uses: Mapped[int] = mapped_column(Integer, default=0)
    max_uses: Mapped[int] = mapped_column(Integer)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # The holder's role, copied from the user at issue and rewritten with it (UserRepository.
    # set_role, same transaction): counting a use then returns the caller's rights from this one
    # row, half the database time of joining users and permissions (docs/performance.md, fix 10).
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    permissions: Mapped[str] = mapped_column(Text, default="", server_default="")


class LoginAttempt(Base):
    """Failed logins per user name, for slowing brute force (one row per name)."""

    __tablename__ = "login_attempts"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)


class Artifact(Base):
    __tablename__ = "artifacts"
    __table_args__ = (
        CheckConstraint("type IN ('model', 'dataset', 'code')", name="ck_artifact_type"),
        # One artifact per (type, source): the database, not a read-then-write, decides 409.
        UniqueConstraint("type", "source_url", name="uq_artifact_type_source"),
        Index("ix_artifacts_name", "name"),
        Index("ix_artifacts_type_seq", "type", "seq"),
    )

    # `seq` orders the registry for keyset pagination (the `offset` header); `id` is public.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[str] = mapped_column(String(64), unique=True, default=new_artifact_id)
    name: Mapped[str] = mapped_column(String(512))
    type: Mapped[str] = mapped_column(String(16))
    source_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    source_kind: Mapped[str] = mapped_column(
        String(32)
    )  # hf_model|hf_dataset|github|reference|upload
    version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    readme: Mapped[str] = mapped_column(OutsideText, default="")
    details: Mapped[dict[str, Any]] = mapped_column(Document, default=dict)
    # Both sources of lineage (the card's header and config.json) were malformed, so a lineage
    # call answers 400. Derived from `details` whenever they are set (below): every lineage call
    # asks, and reading it out of the document detoasted kilobytes for two booleans (fix 17).
    lineage_unreadable: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sa_false()
    )
    # `sensitive` (below) is a column of the table only.
    __mapper_args__ = {"exclude_properties": ["sensitive"]}
    # What GET .../rate answers for the current rating (`Rating.summary`), written with each
    # rating: read from the artifact's own row, where the newest rating document was decoded
    # whole, reasons and evidence too (fix 20). NULL for ratings stored before migration 0008.
    # Deferred: only that read needs it, and it reads it without the ORM.
    rating_summary: Mapped[dict[str, Any] | None] = mapped_column(
        Document(none_as_null=True), nullable=True, deferred=True
    )
    blob_key: Mapped[str | None] = mapped_column(String(512), nullable=True)
    blob_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_by_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @validates("details")
    def _derive_from_details(self, _key: str, details: dict[str, Any]) -> dict[str, Any]:
        both = details.get("card_malformed") is True and details.get("config_malformed") is True
        self.lineage_unreadable = both
        return details


# Whether a download check program is stored in `details` (a sensitive model), so that the audit,
# which asks on every call, does not detoast the details for it. Set by a trigger whenever the
# details are written (migration 0010), never by this code. A column of the table, not of the
# mapped class: on SQLite the trigger writes it after the INSERT's RETURNING has read it, so an
# Artifact would hold a stale value. Core reads it (`artifact_statements.audit_root`).
table_of(Artifact).append_column(
    Column("sensitive", Boolean, nullable=False, server_default=sa_false())
)


class ArtifactScore(Base):
    """One rating of a model; the newest row is current, older rows are its history."""

    __tablename__ = "artifact_scores"
    __table_args__ = (Index("ix_scores_artifact", "artifact_id", "computed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    artifact_id: Mapped[str] = mapped_column(ForeignKey("artifacts.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # rated | failed | not_rated
    net_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    rating: Mapped[dict[str, Any]] = mapped_column(Document, default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArtifactLineage(Base):
    """An edge parent -> child; `parent_ref` keeps the name/URL until that parent is registered."""

    __tablename__ = "artifact_lineage"
    __table_args__ = (
        Index("ix_lineage_child", "child_id"),
        Index("ix_lineage_parent", "parent_id"),
        Index("ix_lineage_ref", "parent_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("artifacts.id", ondelete="CASCADE"))
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("artifacts.id", ondelete="SET NULL"), nullable=True
    )
    parent_ref: Mapped[str] = mapped_column(String(512))
    relationship: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))


class DownloadHistory(Base):
    __tablename__ = "download_history"
    __table_args__ = (Index("ix_downloads_artifact", "artifact_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    artifact_id: Mapped[str] = mapped_column(ForeignKey("artifacts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    user_name: Mapped[str] = mapped_column(String(255))
    part: Mapped[str] = mapped_column(String(16))
    allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    verdict: Mapped[str] = mapped_column(OutsideText, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ArtifactEvent(Base):
    """The audit trail: CREATE, UPDATE, DOWNLOAD, RATE, AUDIT with who and when."""

    __tablename__ = "artifact_events"
    __table_args__ = (
        CheckConstraint(
            "action IN ('CREATE', 'UPDATE', 'DOWNLOAD', 'RATE', 'AUDIT')", name="ck_event_action"
        ),
        Index("ix_events_artifact_id", "artifact_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    artifact_id: Mapped[str] = mapped_column(ForeignKey("artifacts.id", ondelete="CASCADE"))
    user_name: Mapped[str] = mapped_column(String(255))
    user_is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # The entry as the API writes it, without its artifact (`audit_text.entry_json`): written
    # with the entry by every writer, never changed, read back as text by an audit page. NULL
    # only for an entry written by code from before migration 0009 while a deploy rolled out;
    # reads render those from the columns (`events._entry_columns`).
    rendered: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The attempt a DOWNLOAD entry records (its outcome and verdict live in download_history).
    download_id: Mapped[int | None] = mapped_column(
        ForeignKey("download_history.id", ondelete="SET NULL", name="fk_events_download"),
        nullable=True,
    )


class UploadSlot(Base):
    """A pending presigned upload: the blob key a client may PUT to until it is finalized."""

    __tablename__ = "upload_slots"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_artifact_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    artifact_type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(512))
    blob_key: Mapped[str] = mapped_column(String(512))
    expires_at: Mapped[datetime]


class SystemHealthMetric(Base):
    """Per-minute buckets of a named series, upserted once per request (not one row each)."""

    __tablename__ = "system_health_metrics"

    series: Mapped[str] = mapped_column(String(128), primary_key=True)
    bucket_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)
    maximum: Mapped[float] = mapped_column(Float, default=0.0)
