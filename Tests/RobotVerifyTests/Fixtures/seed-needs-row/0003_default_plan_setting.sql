-- robot:name Default plan setting (v1.1 Update)
CREATE TABLE IF NOT EXISTS settings (key text PRIMARY KEY, plan_id bigint NOT NULL REFERENCES plans (id));
INSERT INTO settings (key, plan_id) VALUES ('default_plan', (SELECT id FROM plans WHERE slug = 'free'))
ON CONFLICT (key) DO NOTHING;
