-- robot:name Add paid_at to invoices (v1.1 Update)
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS paid_at timestamptz;
