-- expect create-without-if-not-exists 3:1
-- robot:name Create tenants (v1.0 Update)
CREATE TABLE tenants (id bigserial PRIMARY KEY, region text NOT NULL DEFAULT 'eu');
