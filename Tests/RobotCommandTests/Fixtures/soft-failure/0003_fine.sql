-- robot:name Fine after the broken one (v1.1 Update)
CREATE TABLE IF NOT EXISTS fine (id int);
