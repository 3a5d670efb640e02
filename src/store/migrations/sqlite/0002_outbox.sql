-- Exactly-once delivery: a reply is stored before it is sent and marked when Discord has it;
-- an ended session's debrief is marked once it is posted, so a restart posts it exactly once.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE sessions ADD COLUMN debrief_posted_at INTEGER;
CREATE INDEX messages_unsent ON messages (session_id) WHERE sent_at IS NULL;
