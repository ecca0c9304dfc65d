from .sql import CREATE_USERS

migration_steps = [
    "CREATE EXTENSION IF NOT EXISTS pgcrypto",
    CREATE_USERS,
]
