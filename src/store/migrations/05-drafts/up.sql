-- The mail being written, saved as it is typed so that nothing is lost if the app closes.
CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    draft       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
