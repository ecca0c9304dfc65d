INSERT INTO global_settings (key, value) VALUES ('prompt', 'Be brief') ON CONFLICT (key) DO NOTHING;
