/* A block comment in the header is no directive:
-- robot:critical
*/
-- robot:name Seed the help text (v1.0 Update)
CREATE TABLE IF NOT EXISTS help_texts (topic text PRIMARY KEY, body text NOT NULL);
INSERT INTO help_texts VALUES ('steps', 'Step files start with a header:
-- robot:critical
-- robot:no-transaction
and then SQL.') ON CONFLICT DO NOTHING;
SELECT $doc$
-- robot:name Not a name
$doc$;
