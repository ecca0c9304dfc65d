DO $$
BEGIN
    ALTER TABLE tenants ADD CONSTRAINT tenants_score_check CHECK (score >= 0) NOT VALID;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
