"""Custom resource (Provider framework): migrate the schema, seed the admin, grant the app role.

Runs on Create and Update (the stack passes a hash of the migrations, so a changed migration
is an Update); Delete does nothing, because dropping a schema is never a deploy side effect.
Any exception propagates: the Provider reports FAILED and CloudFormation rolls back.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from trustreg.db.migrate import upgrade_to_head
from trustreg.db.seed import ensure_default_admin

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)
PHYSICAL_ID = "trustreg-schema"
_TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE, TRUNCATE"


def _connect() -> Any:
    """psycopg2 to the proxy as the master user, with an IAM token (never a stored password)."""
    import boto3
    import psycopg2

    host, port, user = os.environ["DB_HOST"], int(os.environ["DB_PORT"]), os.environ["DB_USER"]
    token = boto3.client("rds").generate_db_auth_token(DBHostname=host, Port=port, DBUsername=user)
    return psycopg2.connect(
        host=host,
        port=port,
        user=user,
        password=token,
        dbname=os.environ["DB_NAME"],
        sslmode="require",
        connect_timeout=10,
    )


def ensure_app_role() -> None:
    """Create or update the least-privilege role the functions log in as (through the proxy)."""
    from psycopg2 import sql

    from trustreg.aws_secrets import read_secret

    role = sql.Identifier(os.environ["APP_DB_USER"])
    password = read_secret(os.environ["APP_DB_SECRET_ARN"])  # the proxy logs in with this
    grants = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(os.environ["DB_NAME"]), role
        ),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("GRANT " + _TABLE_RIGHTS + " ON ALL TABLES IN SCHEMA public TO {}").format(role),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
        # The kept reads' functions (trustreg.db.stored), whatever the default for functions.
        sql.SQL("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {}").format(role),
        # Tables created by later migrations are covered without another grant.
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT " + _TABLE_RIGHTS + " ON TABLES TO {}"
        ).format(role),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(role),
    ]
    conn = _connect()
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (os.environ["APP_DB_USER"],))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
            cur.execute(sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD %s").format(role), (password,))
            for statement in grants:
                cur.execute(statement)
    finally:
        conn.close()


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Provider-framework onEvent entry point."""
    request = event["RequestType"]
    log.info("migrations %s, hash %s", request, event["ResourceProperties"].get("MigrationsHash"))
    if request == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId", PHYSICAL_ID)}
    upgrade_to_head()
    ensure_default_admin()
    ensure_app_role()
    return {"PhysicalResourceId": PHYSICAL_ID}
