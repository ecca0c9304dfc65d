-- robot:name Create settings (v1.0 Update)
CREATE TABLE IF NOT EXISTS settings (key text NOT NULL, value text NOT NULL);
