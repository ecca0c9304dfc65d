-- robot:name Create chat rooms (v1.0 Update)
-- robot:critical
CREATE TABLE IF NOT EXISTS chat_rooms (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
