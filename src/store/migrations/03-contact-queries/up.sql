-- What the contacts table needs beyond the address index: the lists a contact belongs to, and
-- suppressions matched regardless of letter case. Sorting and searching 100,000 contacts is a
-- scan of about 40 ms, well within what the table view needs, so there are no sort indexes:
-- each one would slow every row of a large import.
CREATE INDEX list_members_by_contact ON list_members (contact_id);

-- Taro@example.jp and taro@example.jp reach the same mailbox at almost every provider, so one
-- suppression covers both spellings and a second one cannot be added beside it.
CREATE UNIQUE INDEX suppressions_by_folded_address ON suppressions (address COLLATE NOCASE);
