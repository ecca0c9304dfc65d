-- robot:no-transaction
VACUUM (ANALYZE) tenants;
