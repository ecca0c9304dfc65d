-- robot:name Create type room_kind
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'room_kind') THEN
        CREATE TYPE room_kind AS ENUM ('support', 'sales');
    END IF;
END $$;
