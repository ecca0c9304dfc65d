-- robot:name Comment on table chat_rooms
COMMENT ON TABLE chat_rooms IS 'One room per conversation — support or sales'
