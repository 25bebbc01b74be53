-- SMTP accounts by name. The password is never here: it lives in the OS keychain under the
-- account's `secret` key, a random name of its own so two data folders never share one. Limits are windows of (seconds, submissions); connections bounds how many
-- sessions the account may hold at once.
CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    host         TEXT NOT NULL,
    port         INTEGER NOT NULL,
    security     TEXT NOT NULL CHECK (security IN ('starttls', 'tls', 'insecure')),
    user         TEXT,
    from_addr    TEXT,
    preset       TEXT,
    limits       TEXT NOT NULL,
    connections  INTEGER NOT NULL CHECK (connections BETWEEN 1 AND 32),
    secret       TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

-- How a sent plan is being delivered: through which account (none: the practice mailbox),
-- from when, and where it stands. `request` is how another process (the CLI's pause/cancel)
-- asks the process that sends to stop.
CREATE TABLE runs (
    plan_id       INTEGER PRIMARY KEY REFERENCES plans(id),
    account       TEXT,
    state         TEXT NOT NULL
                  CHECK (state IN ('scheduled', 'sending', 'paused', 'cancelled', 'finished')),
    reason        TEXT,
    request       TEXT CHECK (request IN ('pause', 'cancel')),
    scheduled_at  TEXT,
    started_at    TEXT,
    updated_at    TEXT NOT NULL
);

-- Every attempt at a recipient, with the server's words: the exact record of who got what,
-- and what the per-account limits count (by when the server answered).
CREATE TABLE attempts (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES deliveries(id),
    account      TEXT,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    state        TEXT NOT NULL,
    reply        TEXT
);
CREATE INDEX attempts_by_account ON attempts (account, finished_at);
CREATE INDEX attempts_by_delivery ON attempts (delivery_id);

-- A deferred recipient is tried again after `retry_at`, a few times (`attempts`).
ALTER TABLE deliveries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN retry_at TEXT;
