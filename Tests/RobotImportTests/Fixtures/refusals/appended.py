import os

migration_steps = [
    "CREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY)",
]
if os.environ.get("WITH_AUDIT"):
    migration_steps.append("CREATE TABLE IF NOT EXISTS audit (id bigserial PRIMARY KEY)")
