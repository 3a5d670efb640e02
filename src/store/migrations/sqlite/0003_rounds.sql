-- Practice rounds: one persona, seed and difficulty for every trainee, until a deadline.
CREATE TABLE rounds (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,                          -- the announcement with the button
    coach_id    INTEGER NOT NULL,
    persona     TEXT    NOT NULL,
    seed        INTEGER NOT NULL,
    difficulty  TEXT    NOT NULL,
    deadline    INTEGER NOT NULL,                 -- unix seconds
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER
);

ALTER TABLE sessions ADD COLUMN round_id INTEGER REFERENCES rounds (id);
CREATE INDEX sessions_by_round ON sessions (round_id);
