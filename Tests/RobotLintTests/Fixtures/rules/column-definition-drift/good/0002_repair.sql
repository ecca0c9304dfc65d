ALTER TABLE tenants ADD COLUMN IF NOT EXISTS region TEXT not null default 'eu';
