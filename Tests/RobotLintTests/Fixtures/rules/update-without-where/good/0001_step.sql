UPDATE tenants SET region = 'eu' WHERE region IS NULL;
