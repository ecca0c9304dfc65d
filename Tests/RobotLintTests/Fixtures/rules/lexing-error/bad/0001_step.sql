-- expect lexing-error 7:8
DO $$
BEGIN
    RAISE NOTICE 'fine';
END
$$;
SELECT 'never closed;
