DO $$
BEGIN
    ALTER TABLE tenants ADD CONSTRAINT tenants_phone_key UNIQUE (bot_phone_number);
EXCEPTION
    WHEN duplicate_object OR duplicate_table THEN
        RAISE NOTICE 'constraint exists';
END
$$;
