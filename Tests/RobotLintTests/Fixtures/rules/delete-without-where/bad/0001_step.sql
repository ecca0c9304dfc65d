-- expect delete-without-where 2:1
DELETE FROM sessions;
