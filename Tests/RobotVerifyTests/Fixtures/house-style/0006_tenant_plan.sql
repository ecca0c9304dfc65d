-- robot:name Give tenants a plan (v1.2 Update)
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS plan_id bigint REFERENCES plans (id);
UPDATE tenants SET plan_id = (SELECT id FROM plans WHERE slug = 'free') WHERE plan_id IS NULL;
