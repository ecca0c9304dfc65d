TABLE = "chat_messages"

migration_steps = [
    "CREATE TABLE IF NOT EXISTS chat_messages (id bigserial PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS idx_media ON " + TABLE + " (media_url)",
]
