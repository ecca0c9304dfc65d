DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'tenants' AND column_name = 'phone') THEN
        ALTER TABLE tenants RENAME COLUMN phone TO bot_phone_number;
    END IF;
END
$$;
