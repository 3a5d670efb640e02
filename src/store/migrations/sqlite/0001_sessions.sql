-- Sessions and every message of every session. The conversation itself is rebuilt from the
-- trainee's messages (the core is deterministic), so these two tables are the whole state.
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    thread_id   INTEGER NOT NULL UNIQUE,
    trainee_id  INTEGER NOT NULL,
    trainee     TEXT    NOT NULL,
    persona     TEXT    NOT NULL,
    seed        INTEGER NOT NULL,
    difficulty  TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'open',   -- open | ended
    outcome     TEXT,                              -- signed | postponed | lost | ended
    debrief     TEXT,                              -- the debrief as JSON, once ended
    started_at  INTEGER NOT NULL,                  -- unix seconds
    updated_at  INTEGER NOT NULL,
    ended_at    INTEGER
);

CREATE INDEX sessions_open_by_trainee ON sessions (guild_id, trainee_id) WHERE state = 'open';

CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    role        TEXT    NOT NULL,                  -- trainee | customer
    turn        INTEGER NOT NULL,
    discord_id  INTEGER UNIQUE,                    -- NULL until Discord accepted a reply
    content     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
);

CREATE INDEX messages_by_session ON messages (session_id, id);
