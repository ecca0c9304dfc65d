-- robot:no-transaction
REINDEX TABLE CONCURRENTLY tenants;
