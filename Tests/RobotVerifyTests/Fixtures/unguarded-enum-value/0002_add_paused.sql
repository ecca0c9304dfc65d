-- robot:name Add paused status (v1.1 Update)
DO $$
BEGIN
    ALTER TYPE tenant_status ADD VALUE 'paused';
END
$$;
