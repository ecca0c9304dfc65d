-- robot:name Create plans (v1.0 Update)
CREATE TABLE IF NOT EXISTS plans (id bigserial PRIMARY KEY, slug text NOT NULL UNIQUE);
