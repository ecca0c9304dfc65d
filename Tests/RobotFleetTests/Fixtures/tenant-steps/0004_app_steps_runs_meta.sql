-- robot:name The app's own steps, runs and meta tables (v1.1 Update)
CREATE TABLE IF NOT EXISTS steps (id integer PRIMARY KEY, label text NOT NULL);
CREATE TABLE IF NOT EXISTS runs (id integer PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY);
INSERT INTO steps VALUES (1, 'onboarding') ON CONFLICT (id) DO NOTHING;
