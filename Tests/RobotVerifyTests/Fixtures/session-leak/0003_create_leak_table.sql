-- robot:name Create the leak table (v1.1 Update)
CREATE TABLE IF NOT EXISTS leak_t (a int);
