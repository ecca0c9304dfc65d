-- robot:name Create a (v1.0 Update)
CREATE TABLE IF NOT EXISTS a (id int);
