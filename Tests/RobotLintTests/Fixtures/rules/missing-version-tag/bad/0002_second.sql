-- expect missing-version-tag 3:1
-- robot:name Create b
CREATE TABLE IF NOT EXISTS b (id int);
