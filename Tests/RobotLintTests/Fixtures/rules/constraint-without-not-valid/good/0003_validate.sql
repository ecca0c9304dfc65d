ALTER TABLE tenants VALIDATE CONSTRAINT tenants_plan_fk;
ALTER TABLE tenants VALIDATE CONSTRAINT tenants_score_check;
