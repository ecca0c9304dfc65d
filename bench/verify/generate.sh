#!/bin/sh
# Writes a 500-step house-style catalogue (10 releases of 50 steps: tables, guarded columns, indexes,
# seeds, functions, views) into the directory given as $1 (default: bench/verify/steps).
set -eu
out="${1:-bench/verify/steps}"
rm -rf "$out"
mkdir -p "$out"
n=0
step() { # name, sql
    n=$((n + 1))
    file=$(printf '%s/%04d_%s.sql' "$out" "$n" "$(echo "$1" | tr 'A-Z ' 'a-z_' | tr -cd 'a-z0-9_')")
    release=$(( (n - 1) / 50 + 1 ))
    printf -- '-- robot:name %s (v%s.0 Update)\n%s\n' "$1" "$release" "$2" > "$file"
}
table=0
while [ "$n" -lt 500 ]; do
    table=$((table + 1))
    t="t$table"
    step "Create $t" "CREATE TABLE IF NOT EXISTS $t (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());"
    step "Add note to $t" "ALTER TABLE $t ADD COLUMN IF NOT EXISTS note text;"
    step "Add counter to $t" "DO \$\$
BEGIN
    ALTER TABLE $t ADD COLUMN counter bigint NOT NULL DEFAULT 0;
EXCEPTION
    WHEN duplicate_column THEN NULL;
END
\$\$;"
    step "Index $t by note" "CREATE INDEX IF NOT EXISTS ${t}_note_idx ON $t (note);"
    step "Seed $t" "INSERT INTO $t (name) VALUES ('first'), ('second') ON CONFLICT (name) DO NOTHING;"
    if [ "$table" -gt 1 ]; then
        step "Link $t to t$((table - 1))" "ALTER TABLE $t ADD COLUMN IF NOT EXISTS parent_id bigint REFERENCES t$((table - 1)) (id);"
    else
        step "Comment on $t" "COMMENT ON TABLE $t IS 'the first table';"
    fi
    step "Function counting $t" "CREATE OR REPLACE FUNCTION ${t}_count() RETURNS bigint LANGUAGE sql STABLE AS \$\$ SELECT count(*) FROM $t \$\$;"
    step "View of named $t" "CREATE OR REPLACE VIEW ${t}_named AS SELECT id, name FROM $t WHERE name IS NOT NULL;"
    step "Touch $t" "UPDATE $t SET counter = counter WHERE false;"
    step "Check $t counter" "DO \$\$
BEGIN
    ALTER TABLE $t ADD CONSTRAINT ${t}_counter_positive CHECK (counter >= 0);
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
\$\$;"
done
echo "wrote $n steps to $out"
