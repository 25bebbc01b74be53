-- The address book grows the fields offices keep, custom fields (a JSON object of the columns
-- an import did not map), a trash, tags, and the suppression list.
ALTER TABLE contacts ADD COLUMN last_name TEXT;
ALTER TABLE contacts ADD COLUMN first_name TEXT;
ALTER TABLE contacts ADD COLUMN kana TEXT;
ALTER TABLE contacts ADD COLUMN company TEXT;
ALTER TABLE contacts ADD COLUMN department TEXT;
ALTER TABLE contacts ADD COLUMN job_title TEXT;
ALTER TABLE contacts ADD COLUMN phone TEXT;
ALTER TABLE contacts ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
-- Set when the contact is in the trash; restoring clears it.
ALTER TABLE contacts ADD COLUMN deleted_at TEXT;

CREATE TABLE tags (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);

CREATE TABLE contact_tags (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;

CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id);

-- Addresses that are never mailed, whether or not a contact holds them.
CREATE TABLE suppressions (
    address     TEXT PRIMARY KEY,
    reason      TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'blocked', 'manual')),
    note        TEXT,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;
