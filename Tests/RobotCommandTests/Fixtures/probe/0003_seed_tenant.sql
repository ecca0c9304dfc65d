-- robot:name Seed the first tenant (v1.1 Update)
INSERT INTO tenants (store_name) VALUES ('La Tienda') ON CONFLICT (store_name) DO NOTHING;
