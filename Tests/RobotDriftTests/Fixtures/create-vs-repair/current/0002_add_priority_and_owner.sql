-- robot:name Add priority and owner to tickets (v1.1 Update)
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS priority text DEFAULT 'normal';
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS owner_id bigint;
