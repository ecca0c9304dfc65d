from contextlib import asynccontextmanager

SCHEMA = "public"


@asynccontextmanager
async def lifespan(app):
    migration_steps = [
        "CREATE TABLE IF NOT EXISTS tenants (id bigserial PRIMARY KEY)",
        # 2. Owner email
        f"ALTER TABLE {SCHEMA}.tenants ADD COLUMN IF NOT EXISTS owner_email text",
    ]
    yield
