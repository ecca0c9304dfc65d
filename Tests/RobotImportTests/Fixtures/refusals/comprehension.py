TABLES = ["users", "rooms"]

migration_steps = ["ANALYZE " "users" for table in TABLES]
