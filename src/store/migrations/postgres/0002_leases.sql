-- One process answers at a time: it holds the lease and renews it; others stand by until it
-- lapses or is released.
CREATE TABLE leases (
    name        TEXT   PRIMARY KEY,
    holder      TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL                   -- unix milliseconds
);
