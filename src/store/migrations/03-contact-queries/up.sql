-- What the contacts table needs to stay quick at 100,000 contacts: an index per sort key that
-- puts blank values last (the key expressions are repeated verbatim in contacts/query.rs,
-- because SQLite uses an expression index only for the identical expression), the lists a
-- contact belongs to, and suppressions matched regardless of letter case.
CREATE INDEX contacts_by_name_blank_last ON contacts ((coalesce(name, '') = ''), name);
CREATE INDEX contacts_by_kana_blank_last ON contacts ((coalesce(kana, '') = ''), kana);
CREATE INDEX contacts_by_company_blank_last ON contacts ((coalesce(company, '') = ''), company);
CREATE INDEX contacts_by_updated ON contacts (updated_at);

CREATE INDEX list_members_by_contact ON list_members (contact_id);

-- Taro@example.jp and taro@example.jp reach the same mailbox at almost every provider, so one
-- suppression covers both spellings and a second one cannot be added beside it.
CREATE UNIQUE INDEX suppressions_by_folded_address ON suppressions (address COLLATE NOCASE);
