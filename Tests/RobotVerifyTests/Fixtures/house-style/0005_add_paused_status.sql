-- robot:name Add paused tenant status (v1.1 Update)
ALTER TYPE tenant_status ADD VALUE IF NOT EXISTS 'paused';
