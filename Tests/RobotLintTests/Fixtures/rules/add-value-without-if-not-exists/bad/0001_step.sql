-- expect add-value-without-if-not-exists 2:24
ALTER TYPE tenant_plan ADD VALUE 'enterprise' AFTER 'pro';
