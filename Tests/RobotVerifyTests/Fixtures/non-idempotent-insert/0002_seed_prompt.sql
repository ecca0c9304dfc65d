-- robot:name Seed the default prompt (v1.0 Update)
INSERT INTO settings (key, value) VALUES ('prompt', 'Be brief.');
