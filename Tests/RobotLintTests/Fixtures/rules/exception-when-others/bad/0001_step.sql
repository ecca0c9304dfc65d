-- expect exception-when-others 5:16
DO $$
BEGIN
    CREATE TYPE mood AS ENUM ('sad', 'ok');
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'ignored: %', SQLERRM;
END
$$;
