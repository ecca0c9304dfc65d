-- expect reindex-without-concurrently 2:1
REINDEX TABLE tenants;
