-- robot:name Drop trigger trg_chat_rooms_touch
DROP TRIGGER IF EXISTS trg_chat_rooms_touch ON chat_rooms;
CREATE TRIGGER trg_chat_rooms_touch BEFORE UPDATE ON chat_rooms
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
