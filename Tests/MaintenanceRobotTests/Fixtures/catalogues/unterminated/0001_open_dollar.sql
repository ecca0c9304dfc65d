-- robot:name Unterminated body
DO $body$
BEGIN
    RAISE NOTICE 'never closed';
END
$$;
