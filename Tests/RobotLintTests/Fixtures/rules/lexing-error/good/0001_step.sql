SELECT 'it''s closed; really', $q$ a $ b $q$, "odd "" name" FROM (SELECT 1) AS "odd "" name" /* a /* nested */ comment */;
