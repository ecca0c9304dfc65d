-- robot:name Add archived to chat rooms (v1.1 Update)
ALTER TABLE chat_rooms ADD COLUMN IF NOT EXISTS archived boolean NOT NULL DEFAULT false;
