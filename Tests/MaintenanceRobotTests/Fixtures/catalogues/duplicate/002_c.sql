-- robot:name Seed global settings (v1.0 Update)
CREATE TABLE IF NOT EXISTS global_settings (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO global_settings (key, value) VALUES ('greeting', 'Hello; it''s nice to see you')
ON CONFLICT (key) DO NOTHING;
