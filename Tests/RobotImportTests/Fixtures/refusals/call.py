from sqlalchemy import text

migration_steps = [
    text("CREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY)"),
]
