-- robot:name Unique room titles
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chat_rooms_title_key') THEN
        ALTER TABLE chat_rooms ADD CONSTRAINT chat_rooms_title_key UNIQUE (title);
    END IF;
END $$;
