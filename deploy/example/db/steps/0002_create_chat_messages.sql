-- robot:name Create chat messages (v1.0 Update)
-- robot:critical
CREATE TABLE IF NOT EXISTS chat_messages (
    id bigserial PRIMARY KEY,
    room_id bigint NOT NULL REFERENCES chat_rooms (id),
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_chat_messages_room ON chat_messages (room_id, created_at);
