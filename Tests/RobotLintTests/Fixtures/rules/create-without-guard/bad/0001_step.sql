-- expect create-without-guard 3:1
-- expect create-without-guard 6:5
CREATE TYPE mood AS ENUM ('sad', 'ok');
DO $$
BEGIN
    CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
END
$$;
