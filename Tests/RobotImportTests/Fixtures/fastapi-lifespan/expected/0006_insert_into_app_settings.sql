-- robot:name Insert into app_settings
INSERT INTO app_settings (key, value) VALUES ('greeting', 'Hello!') ON CONFLICT (key) DO NOTHING
