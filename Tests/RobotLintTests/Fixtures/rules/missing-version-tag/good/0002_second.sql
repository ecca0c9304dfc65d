-- robot:name Create b (v1.1 Update)
CREATE TABLE IF NOT EXISTS b (id int);
