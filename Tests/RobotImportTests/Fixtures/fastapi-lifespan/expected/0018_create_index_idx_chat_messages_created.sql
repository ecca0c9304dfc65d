-- robot:name Create index idx_chat_messages_created
CREATE INDEX idx_chat_messages_created ON chat_messages (created_at)
