-- robot:name Create users and tickets (v1.0 Update)
CREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS tickets (id bigserial PRIMARY KEY, title text NOT NULL);
