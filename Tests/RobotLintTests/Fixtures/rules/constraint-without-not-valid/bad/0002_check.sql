-- expect constraint-without-not-valid 4:25
DO $$
BEGIN
    ALTER TABLE tenants ADD CONSTRAINT tenants_score_check CHECK (score >= 0);
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
