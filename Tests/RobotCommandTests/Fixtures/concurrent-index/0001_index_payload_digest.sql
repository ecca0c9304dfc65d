-- robot:name Index events by payload digest (v1.0 Update)
-- robot:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_payload_digest_idx ON events (payload_digest(payload));
