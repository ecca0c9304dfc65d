-- robot:name CRLF file
CREATE TABLE IF NOT EXISTS crlf_table (id int);   
INSERT INTO crlf_table VALUES (1)
ON CONFLICT DO NOTHING;
