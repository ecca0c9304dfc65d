-- expect upsert-overwrites 2:93
INSERT INTO global_settings (key, value) VALUES ('prompt', 'Be brief') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
