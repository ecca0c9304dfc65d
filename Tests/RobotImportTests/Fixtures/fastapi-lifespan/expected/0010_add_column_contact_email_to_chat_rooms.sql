-- robot:name Add column contact_email to chat_rooms
ALTER TABLE chat_rooms ADD COLUMN IF NOT EXISTS contact_email text CHECK (contact_email ~* '^[^@\s]+@[^@\s]+\.[a-z]+$')
