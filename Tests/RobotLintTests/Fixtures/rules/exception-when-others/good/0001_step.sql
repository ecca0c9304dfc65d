DO $$
BEGIN
    CREATE TYPE mood AS ENUM ('sad', 'ok');
EXCEPTION
    WHEN duplicate_object THEN NULL;
    WHEN OTHERS THEN
        RAISE NOTICE 'unexpected: %', SQLERRM;
        RAISE;
END
$$;
