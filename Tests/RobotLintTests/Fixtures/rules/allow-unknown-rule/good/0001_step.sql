-- robot:allow truncate sessions are disposable
TRUNCATE sessions;
