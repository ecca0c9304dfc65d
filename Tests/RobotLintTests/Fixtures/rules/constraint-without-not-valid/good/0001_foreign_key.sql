DO $$
BEGIN
    ALTER TABLE tenants ADD CONSTRAINT tenants_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id) NOT VALID;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
