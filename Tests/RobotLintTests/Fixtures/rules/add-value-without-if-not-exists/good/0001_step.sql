ALTER TYPE tenant_plan ADD VALUE IF NOT EXISTS 'enterprise' AFTER 'pro';
