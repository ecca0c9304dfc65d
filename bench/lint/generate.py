#!/usr/bin/env python3
"""Writes a step directory of N house-style steps (NNNN_slug.sql) for the lint benchmark.

Usage: generate.py DIR [N] [--faulty-every K]
Every K-th step (default 10; 0 for none) is written from a template with a known idempotency problem,
so the benchmark can compare what robot lint and squawk each find.
"""
import os
import sys

HOUSE = [
    lambda n, t: f"""CREATE TABLE IF NOT EXISTS {t} (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    note text, -- free text; may hold 'quotes' and ; semicolons
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS {t}_name_idx ON {t} (name);
""",
    lambda n, t: f"""ALTER TABLE {t} ADD COLUMN IF NOT EXISTS column_{n} text;
ALTER TABLE {t} ADD COLUMN IF NOT EXISTS counter_{n} bigint NOT NULL DEFAULT 0;
""",
    lambda n, t: f"""INSERT INTO settings (key, value)
VALUES ('key_{n}', 'value; with ''quotes'''), ('other_{n}', $v$dollar ' value$v$)
ON CONFLICT (key) DO NOTHING;
""",
    lambda n, t: f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE typname = 'kind_{n}') THEN
        CREATE TYPE kind_{n} AS ENUM ('a', 'b', 'c');
    END IF;
END
$$;
""",
    lambda n, t: f"""CREATE OR REPLACE FUNCTION touch_{n}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    NEW.updated_at := now(); -- keep; it's "fresh"
    EXECUTE $q$SELECT 1$q$;
    RETURN NEW;
END
$fn$;
DROP TRIGGER IF EXISTS touch_{n} ON {t};
CREATE TRIGGER touch_{n} BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION touch_{n}();
""",
    lambda n, t: f"""DO $$
BEGIN
    ALTER TABLE {t} ADD CONSTRAINT {t}_check_{n} CHECK (id > 0);
EXCEPTION
    WHEN duplicate_object THEN
        RAISE NOTICE 'constraint exists';
END
$$;
UPDATE {t} SET name = trim(name) WHERE name <> trim(name);
""",
]

FAULTY = [
    lambda n, t: f"CREATE TABLE {t}_extra_{n} (id bigint PRIMARY KEY);\n",
    lambda n, t: f"INSERT INTO settings (key, value) VALUES ('seed_{n}', 'x');\n",
    lambda n, t: f"ALTER TABLE {t} ADD COLUMN extra_{n} text;\n",
    lambda n, t: f"DROP INDEX {t}_old_{n}_idx;\n",
    lambda n, t: f"CREATE TYPE mood_{n} AS ENUM ('sad', 'ok');\n",
    lambda n, t: f"DO $$\nBEGIN\n    CREATE TYPE mood_{n} AS ENUM ('sad', 'ok');\nEND\n$$;\n",
    lambda n, t: f"ALTER TABLE {t} RENAME COLUMN old_{n} TO new_{n};\n",
    lambda n, t: f"CREATE VIEW {t}_view_{n} AS SELECT * FROM {t};\n",
]

HEADER = """-- robot:name Step {n} of the generated catalogue (v1.{release} Update)
--
-- Why: the service's release 1.{release} needs this change. Every statement below is written to be safe
-- to run again: guarded CREATEs, ON CONFLICT DO NOTHING, DO blocks that look the object up first.
-- Reviewed by the database team; see the release notes for the migration plan and its rollback.

"""


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    faulty_every = 10
    if "--faulty-every" in sys.argv:
        faulty_every = int(sys.argv[sys.argv.index("--faulty-every") + 1])
        args.remove(str(faulty_every))
    directory, count = args[0], int(args[1]) if len(args) > 1 else 5000
    os.makedirs(directory, exist_ok=True)
    for n in range(1, count + 1):
        table = f"table_{n % 50}"
        if faulty_every and n % faulty_every == 0:
            body = FAULTY[(n // faulty_every) % len(FAULTY)](n, table)
        else:
            body = HOUSE[n % len(HOUSE)](n, table)
        with open(os.path.join(directory, f"{n:05d}_step_{n}.sql"), "w") as file:
            file.write(HEADER.format(n=n, release=n // 500) + body)


if __name__ == "__main__":
    main()
