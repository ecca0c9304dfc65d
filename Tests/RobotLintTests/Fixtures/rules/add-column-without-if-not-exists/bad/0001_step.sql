-- expect add-column-without-if-not-exists 3:21
-- expect add-column-without-if-not-exists 3:50
ALTER TABLE tenants ADD COLUMN owner_email text, ADD region text;
