-- robot:name Owner index
CREATE INDEX IF NOT EXISTS idx_chat_rooms_owner ON chat_rooms (owner_email)
