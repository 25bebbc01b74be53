-- The enhanced status code of the server's last reply about a delivery (e.g. 5.1.1), kept
-- apart from the reply text so deliveries can be sorted by what happened.
ALTER TABLE deliveries ADD COLUMN status TEXT;
