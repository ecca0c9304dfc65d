-- robot:name Create users and tickets (v1.0 Update)
-- Edited in v1.1: the CREATE TABLE gained priority (NOT NULL) and owner_id (a foreign key), while step 2 adds
-- them to older databases nullable and without the key.
CREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS tickets (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    priority text NOT NULL DEFAULT 'normal',
    owner_id bigint REFERENCES users (id)
);
