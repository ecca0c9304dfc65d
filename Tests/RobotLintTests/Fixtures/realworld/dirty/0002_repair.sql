-- expect column-definition-drift 12:40
-- expect insert-without-on-conflict 14:5
-- expect drop-table 16:9
-- expect exception-when-others 17:20
-- expect lock-timeout-disabled 21:1
-- expect add-column-without-if-not-exists 21:21
-- expect not-null-without-default 21:42
-- robot:name Repair tenants (v1.1 Update)
/* block; comment ' */ dO $$
begin
    if not exists (select from information_schema.columns where table_name = 'tenants' and column_name = 'region') then
        alter table tenants add column region text;
    end if;
    InSeRt   INTO settings VALUES ('a;b', $x$c$x$);
    begin
        drop table if exists old_orders cascade;
    exception when others then raise notice 'ignored';
    end;
end $$;
SET LOCAL lock_timeout TO '0';
ALTER TABLE tenants ADD COLUMN plan text NOT NULL, ALTER COLUMN region SET DEFAULT 'us';
