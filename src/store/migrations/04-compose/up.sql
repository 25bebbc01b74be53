-- A campaign's mail grows a plain-text version the user may write, Reply-To, an unsubscribe
-- address, its character set, its files, and each recipient's own file.
ALTER TABLE campaigns ADD COLUMN text TEXT;
ALTER TABLE campaigns ADD COLUMN reply_to TEXT;
ALTER TABLE campaigns ADD COLUMN unsubscribe TEXT;
ALTER TABLE campaigns ADD COLUMN charset TEXT NOT NULL DEFAULT 'utf-8'
    CHECK (charset IN ('utf-8', 'iso-2022-jp'));
-- The path pattern per-recipient files were found by, e.g. C:\請求書\{{顧客ID}}.pdf.
ALTER TABLE campaigns ADD COLUMN attach_each TEXT;

-- Files every recipient gets: attachments, and images the HTML shows (content_id set). The
-- bytes are in the content-addressed store under their sha256.
CREATE TABLE campaign_files (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content_id   TEXT,
    PRIMARY KEY (campaign_id, position)
) WITHOUT ROWID;

-- Each recipient's own file, found by the campaign's pattern when it was written.
CREATE TABLE recipient_files (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    PRIMARY KEY (campaign_id, address)
) WITHOUT ROWID;

-- Mails kept to be written again: the user's own and the starters.
CREATE TABLE templates (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    subject      TEXT NOT NULL,
    html         TEXT NOT NULL,
    text         TEXT,
    attach_each  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
