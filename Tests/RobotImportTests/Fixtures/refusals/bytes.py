migration_steps = [
    b"CREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY)",
]
