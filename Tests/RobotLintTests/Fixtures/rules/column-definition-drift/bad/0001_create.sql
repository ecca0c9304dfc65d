CREATE TABLE IF NOT EXISTS tenants (id bigint PRIMARY KEY, region text NOT NULL DEFAULT 'eu');
