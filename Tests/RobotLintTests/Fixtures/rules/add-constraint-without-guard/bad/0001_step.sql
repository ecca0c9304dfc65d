-- expect add-constraint-without-guard 2:21
ALTER TABLE tenants ADD CONSTRAINT tenants_phone_key UNIQUE (bot_phone_number);
