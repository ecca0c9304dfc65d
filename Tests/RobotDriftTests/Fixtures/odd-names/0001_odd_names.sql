-- robot:name Names that need quoting (v1.0 Update)
CREATE SCHEMA IF NOT EXISTS "Sales Ops";
CREATE TABLE IF NOT EXISTS "Sales Ops"."Odd ""Table""" (
    "Id" bigserial PRIMARY KEY,
    "Code $drift$" text NOT NULL UNIQUE,
    "note$$" text NOT NULL DEFAULT 'it''s $$ a \ note',
    "Kind" text
);
CREATE INDEX IF NOT EXISTS "Odd Index.1" ON "Sales Ops"."Odd ""Table""" ("Kind");
INSERT INTO "Sales Ops"."Odd ""Table""" ("Code $drift$", "Kind") VALUES ('O''Brien \ $$', E'tab\there')
ON CONFLICT ("Code $drift$") DO NOTHING;
