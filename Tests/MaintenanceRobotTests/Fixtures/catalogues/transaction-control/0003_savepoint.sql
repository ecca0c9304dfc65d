-- robot:name Savepoints (v1.0 Update)
SAVEPOINT before_seed;
INSERT INTO x1 VALUES (1);
RELEASE SAVEPOINT before_seed;
