-- robot:name Create index idx_chat_messages_media
CREATE INDEX IF NOT EXISTS idx_chat_messages_media ON chat_messages (media_url) WHERE media_url IS NOT NULL
