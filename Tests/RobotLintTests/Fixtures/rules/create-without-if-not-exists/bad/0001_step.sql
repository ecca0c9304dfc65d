-- expect create-without-if-not-exists 6:1
-- expect create-without-if-not-exists 7:3
-- expect create-without-if-not-exists 8:1
-- expect create-without-if-not-exists 9:1
-- a table; and a 'quoted' remark
CREATE TABLE tenants (id bigint PRIMARY KEY);
  create   unique  INDEX tenants_id_idx ON tenants (id);
Create Index On tenants (id);
CREATE EXTENSION pgcrypto;
