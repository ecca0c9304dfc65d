migration_steps = [
    "COMMENT ON TABLE users IS 'People \N{BULLET} and bots'",
]
