-- robot:no-transaction
-- expect vacuum-full 3:1
VACUUM FULL tenants;
