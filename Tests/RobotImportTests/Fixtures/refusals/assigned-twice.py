migration_steps = []


def lifespan(app):
    migration_steps = [
        "CREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY)",
    ]
