-- expect truncate 2:1
TRUNCATE sessions;
