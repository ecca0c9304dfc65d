-- robot:name Create index idx_chat_messages_room
CREATE INDEX IF NOT EXISTS idx_chat_messages_room ON chat_messages (room_id, created_at)
