migration_steps = [
    "ALTER TABLE {} ADD COLUMN IF NOT EXISTS locale text".format("users"),
]
