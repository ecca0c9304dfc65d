-- robot:name Archived rooms
-- Rooms are archived, never deleted: their history stays.
ALTER TABLE chat_rooms ADD COLUMN IF NOT EXISTS archived boolean NOT NULL DEFAULT false
