"""Chat service: a FastAPI app that brings its schema up to date at every start."""
import logging
import os
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

log = logging.getLogger("chat")
engine = create_async_engine(os.environ.get("DATABASE_URL", "postgresql+asyncpg://chat@localhost/chat"))

# Not the steps: another list, and strings that only mention them.
FEATURE_FLAGS = ["media", "handoff"]
HELP = "migration_steps = [ 'is where the steps live' ]"
BANNER = '''
migration_steps = ["not this one"]
'''


@asynccontextmanager
async def lifespan(app: FastAPI):
    started = time.monotonic()
    migration_steps: list[str] = [
        # 1. Chat Tables
        """
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
        """,
        # 1b. Pre-clean Handoff Config (Drop if broken)
        """
        DO $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM information_schema.tables WHERE table_name = 'handoff_config'
            ) AND NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                WHERE table_name = 'handoff_config' AND column_name = 'room_id'
            ) THEN
                DROP TABLE handoff_config;
            END IF;
        END $$;
        """,
        # 2. Handoff Config
        '''CREATE TABLE IF NOT EXISTS handoff_config (
               room_id bigint PRIMARY KEY REFERENCES chat_rooms (id),
               target text NOT NULL DEFAULT 'human'
           )''',
        """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'room_kind') THEN
                    CREATE TYPE room_kind AS ENUM ('support', 'sales');
                END IF;
            END $$;
        """,
        # Settings
        "CREATE TABLE IF NOT EXISTS app_settings (\n    key text PRIMARY KEY,\n    value text NOT NULL\n)",
        'INSERT INTO app_settings (key, value) VALUES (\'greeting\', \'Hello!\') ON CONFLICT (key) DO NOTHING',
        # Seed: export directory (Windows agents)
        "INSERT INTO app_settings (key, value) VALUES ('export_dir', 'C:\\exports\\chat') ON CONFLICT (key) DO NOTHING",
        # Media on messages
        "ALTER TABLE chat_messages ADD COLUMN IF NOT EXISTS media_url text",  # nullable: most messages have none
        "CREATE INDEX IF NOT EXISTS idx_chat_messages_media ON chat_messages (media_url) WHERE media_url IS NOT NULL",
        # Placeholder kept from an old release; the loop skips it
        """
        """,
        R"ALTER TABLE chat_rooms ADD COLUMN IF NOT EXISTS contact_email text CHECK (contact_email ~* '^[^@\s]+@[^@\s]+\.[a-z]+$')",

        # 9. Room owner
        ("ALTER TABLE chat_rooms "
         "ADD COLUMN IF NOT EXISTS owner_email text "
         'DEFAULT \'\'' ),
        # 9b. Owner index
        "CREATE INDEX IF NOT EXISTS idx_chat_rooms_owner " \
            "ON chat_rooms (owner_email)",
        "CREATE INDEX IF NOT EXISTS idx_chat_messages_room \
ON chat_messages (room_id, created_at)",
        # Step 10: Unique room titles
        """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chat_rooms_title_key') THEN
                    ALTER TABLE chat_rooms ADD CONSTRAINT chat_rooms_title_key UNIQUE (title);
                END IF;
            END $$;
        """,
        # 11. updated_at trigger function
        """
        ALTER TABLE chat_rooms ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
        CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END
        $$;
        """,
        """
        DROP TRIGGER IF EXISTS trg_chat_rooms_touch ON chat_rooms;
        CREATE TRIGGER trg_chat_rooms_touch BEFORE UPDATE ON chat_rooms
            FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
        """,
        u"COMMENT ON TABLE chat_rooms IS 'One room per conversation \u2014 support or sales'",
        "CREATE INDEX idx_chat_messages_created ON chat_messages (created_at)",
        # 12) Archived rooms
        # Rooms are archived, never deleted: their history stays.
        "ALTER TABLE chat_rooms ADD COLUMN IF NOT EXISTS archived boolean NOT NULL DEFAULT false",
    ]
    async with engine.begin() as conn:
        for step in migration_steps:
            if step.strip():
                try:
                    await conn.execute(text(step))
                except Exception as error:  # a step that fails must not stop the boot
                    log.warning("startup SQL failed: %s", error)
    elapsed = time.monotonic() - started
    log.info(f"applied {len(migration_steps)} steps in {elapsed:.1f}s ({FEATURE_FLAGS[0]!r}, {os.environ.get("APP_ENV", 'dev')})")
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)
