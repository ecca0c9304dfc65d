-- robot:name Media on messages
ALTER TABLE chat_messages ADD COLUMN IF NOT EXISTS media_url text
