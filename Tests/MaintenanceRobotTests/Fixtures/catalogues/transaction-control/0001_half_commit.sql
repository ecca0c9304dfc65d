-- robot:name Commit half of itself (v1.0 Update)
CREATE TABLE x1 (a int); COMMIT; CREATE TABLE x2 (a int); SELECT 1/0;
