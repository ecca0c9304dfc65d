-- robot:name Make codes unique beside another statement (v1.0 Update)
-- robot:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS codes_code_key ON codes (code);
ANALYZE codes;
