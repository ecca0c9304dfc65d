-- robot:name Seed the first note (v1.0 Update)
INSERT INTO notes (id, body) VALUES (1, 'the quote is never closed)
ON CONFLICT (id) DO NOTHING;
