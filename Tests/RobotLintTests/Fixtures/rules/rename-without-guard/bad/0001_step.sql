-- expect rename-without-guard 2:21
ALTER TABLE tenants RENAME COLUMN phone TO bot_phone_number;
