-- robot:name Seed plans (v1.1 Update)
INSERT INTO plans (name) VALUES ('free'), ('pro') ON CONFLICT (name) DO NOTHING;
