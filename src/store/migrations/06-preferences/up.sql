-- The user's preferences, as one JSON object: fields added later take their defaults.
CREATE TABLE preferences (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  TEXT NOT NULL
);
