-- robot:name Handoff Config
CREATE TABLE IF NOT EXISTS handoff_config (
               room_id bigint PRIMARY KEY REFERENCES chat_rooms (id),
               target text NOT NULL DEFAULT 'human'
           )
