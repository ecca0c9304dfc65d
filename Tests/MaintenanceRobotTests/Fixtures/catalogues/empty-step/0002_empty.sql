-- robot:name Nothing here
-- just a comment;

