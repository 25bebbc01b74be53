-- A template keeps the images its HTML shows (a JSON array of stored files), so that loading
-- it in a later session shows them and sends them.
ALTER TABLE templates ADD COLUMN images TEXT NOT NULL DEFAULT '[]';
