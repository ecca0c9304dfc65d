-- robot:name Seed the free plan on a first install (v1.1 Update)
INSERT INTO plans (slug) SELECT 'free' WHERE NOT EXISTS (SELECT 1 FROM plans);
