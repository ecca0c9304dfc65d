-- robot:allow truncate sessions are disposable and rebuilt on login
TRUNCATE sessions;
