-- robot:name Create codes with a duplicate (v1.0 Update)
CREATE TABLE IF NOT EXISTS codes (code text NOT NULL);
INSERT INTO codes (code) SELECT 'same' WHERE NOT EXISTS (SELECT FROM codes);
INSERT INTO codes (code) SELECT 'same' WHERE (SELECT count(*) FROM codes) = 1;
