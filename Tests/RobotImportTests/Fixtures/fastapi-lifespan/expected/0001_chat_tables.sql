-- robot:name Chat Tables
CREATE TABLE IF NOT EXISTS chat_rooms (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS chat_messages (
    id bigserial PRIMARY KEY,
    room_id bigint NOT NULL REFERENCES chat_rooms (id),
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
