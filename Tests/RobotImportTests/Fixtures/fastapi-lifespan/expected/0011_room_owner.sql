-- robot:name Room owner
ALTER TABLE chat_rooms ADD COLUMN IF NOT EXISTS owner_email text DEFAULT ''
