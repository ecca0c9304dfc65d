-- expect applied-step-reordered 2:1
CREATE TABLE IF NOT EXISTS a (id int);
