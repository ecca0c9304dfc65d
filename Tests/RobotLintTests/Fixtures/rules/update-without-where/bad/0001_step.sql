-- expect update-without-where 2:1
update global_settings set value = (select 'x' where true);
