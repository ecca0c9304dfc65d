-- expect cluster 2:1
CLUSTER tenants USING tenants_pkey;
