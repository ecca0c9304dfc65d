-- expect constraint-without-not-valid 4:25
DO $$
BEGIN
    ALTER TABLE tenants ADD CONSTRAINT tenants_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id);
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
