-- robot:name Seed: export directory (Windows agents)
INSERT INTO app_settings (key, value) VALUES ('export_dir', 'C:\exports\chat') ON CONFLICT (key) DO NOTHING
