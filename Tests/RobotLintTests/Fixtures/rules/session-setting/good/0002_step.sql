-- robot:no-transaction
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS settings_key_idx ON settings (key);
