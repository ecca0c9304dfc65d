-- expect applied-step-edited 2:1
CREATE TABLE IF NOT EXISTS a (id int);
