-- What the user confirmed when a plan was started: its digest, what they acknowledged, the
-- warnings and blockers they were shown, when, and who (the operating system's user name).
CREATE TABLE confirmations (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plans(id),
    digest        TEXT NOT NULL,
    acknowledged  TEXT NOT NULL,
    shown         TEXT NOT NULL,
    confirmed_at  TEXT NOT NULL,
    os_user       TEXT
);
CREATE INDEX confirmations_by_plan ON confirmations (plan_id);
