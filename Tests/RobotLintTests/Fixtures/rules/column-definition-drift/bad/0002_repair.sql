-- expect column-definition-drift 2:46
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS region varchar(2);
