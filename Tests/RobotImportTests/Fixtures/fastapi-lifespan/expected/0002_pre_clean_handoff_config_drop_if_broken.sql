-- robot:name Pre-clean Handoff Config (Drop if broken)
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM information_schema.tables WHERE table_name = 'handoff_config'
    ) AND NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_name = 'handoff_config' AND column_name = 'room_id'
    ) THEN
        DROP TABLE handoff_config;
    END IF;
END $$;
