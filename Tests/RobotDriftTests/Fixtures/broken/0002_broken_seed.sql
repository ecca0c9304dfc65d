-- robot:name Seed a note into a column that does not exist (v1.0 Update)
INSERT INTO notes (id, title) VALUES (1, 'hello') ON CONFLICT (id) DO NOTHING;
