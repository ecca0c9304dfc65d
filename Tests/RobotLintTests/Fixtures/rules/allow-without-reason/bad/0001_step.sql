-- expect allow-without-reason 2:1
-- robot:allow truncate
TRUNCATE sessions;
