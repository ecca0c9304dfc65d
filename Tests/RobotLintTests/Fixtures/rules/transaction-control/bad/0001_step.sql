-- expect transaction-control 3:1
-- expect transaction-control 5:1
BEGIN;
CREATE TABLE IF NOT EXISTS a (id int);
COMMIT;
