-- robot:name Create plans table (v1.0 Update)
CREATE TABLE IF NOT EXISTS plans (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE);
