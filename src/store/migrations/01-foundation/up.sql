-- Contacts and the lists they belong to. An address is unique across the whole address book;
-- a contact may be in many lists.
CREATE TABLE lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    address     TEXT NOT NULL UNIQUE,
    name        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE list_members (
    list_id     INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (list_id, contact_id)
) WITHOUT ROWID;

-- A campaign is one mail (subject + HTML template) written for one list.
CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    list_id     INTEGER NOT NULL REFERENCES lists(id),
    subject     TEXT NOT NULL,
    html        TEXT NOT NULL,
    from_addr   TEXT,
    created_at  TEXT NOT NULL
);

-- A plan is the frozen snapshot of what a campaign will send, identified by its digest.
CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id),
    digest       TEXT NOT NULL,
    snapshot     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (campaign_id, digest)
);

-- One row per recipient of a sent plan: its single durable delivery state.
CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id),
    position    INTEGER NOT NULL,
    address     TEXT NOT NULL,
    name        TEXT,
    state       TEXT NOT NULL
                CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'unknown')),
    reply       TEXT,
    message_id  TEXT,
    updated_at  TEXT NOT NULL,
    UNIQUE (plan_id, position)
);

CREATE INDEX deliveries_by_plan_state ON deliveries (plan_id, state);
