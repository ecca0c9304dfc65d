# Startup SQL of a small Flask service, at module level.
STARTUP_SQL = [
    "CREATE EXTENSION IF NOT EXISTS pgcrypto",
    # Tenants
    """
    CREATE TABLE IF NOT EXISTS tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL
    );
    """,
    "ALTER TABLE tenants ADD COLUMN IF NOT EXISTS plan text NOT NULL DEFAULT 'free'",
    "-- the audit table moved to another service",
]


def apply(connection):
    for sql in STARTUP_SQL:
        if sql.strip():
            connection.execute(sql)
