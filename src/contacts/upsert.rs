//! Writing imported contacts: add or update one contact by address, as the import mode allows.

use rusqlite::{OptionalExtension, Statement, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fields::{self, COLUMNS, ContactFields};
use crate::error::Result;

/// How an import treats addresses already in the address book.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename = "ImportMode")]
pub enum Mode {
    /// New addresses only; existing contacts are left as they are.
    Add,
    /// Existing contacts only; new addresses are skipped.
    Update,
    /// Both.
    #[default]
    Upsert,
}

/// What `upsert` did to a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    New,
    Updated,
    Unchanged,
    /// Not written because of the mode (an existing contact in Add, a new one in Update).
    Skipped,
}

/// A contact on its way in from an import, with its custom fields already in their stored
/// form: made where the file is read, so that the writer only writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub address: String,
    pub fields: ContactFields,
    custom_json: String,
}

impl Incoming {
    /// `address` must be normalised already.
    pub fn new(address: String, fields: ContactFields) -> Incoming {
        Incoming {
            custom_json: fields.custom_json(),
            address,
            fields,
        }
    }
}

/// Writes imported contacts, and puts each one the import touches into its list. Its
/// statements are prepared once for the whole import, which calls it for every row, up to
/// millions of times.
pub struct Writer<'tx> {
    tx: &'tx Transaction<'tx>,
    select: Statement<'tx>,
    insert: Statement<'tx>,
    update: Statement<'tx>,
    restore: Statement<'tx>,
    member: Statement<'tx>,
    list: Option<i64>,
    /// The highest contact id before this import: every contact above it is new.
    last_before: i64,
    now: String,
}

impl<'tx> Writer<'tx> {
    pub fn new(tx: &'tx Transaction<'tx>, now: &str, list: Option<i64>) -> Result<Writer<'tx>> {
        Ok(Writer {
            tx,
            select: tx.prepare(&format!(
                "SELECT id, deleted_at IS NOT NULL, {COLUMNS} FROM contacts WHERE address = ?1"
            ))?,
            insert: tx.prepare(&format!(
                "INSERT INTO contacts (address, {COLUMNS}, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
                 ON CONFLICT (address) DO NOTHING"
            ))?,
            update: tx.prepare(fields::UPDATE)?,
            restore: tx.prepare("UPDATE contacts SET deleted_at = NULL WHERE id = ?1")?,
            member: tx.prepare(
                "INSERT OR IGNORE INTO list_members (list_id, contact_id) VALUES (?1, ?2)",
            )?,
            list,
            last_before: tx.query_row("SELECT COALESCE(MAX(id), 0) FROM contacts", [], |r| {
                r.get(0)
            })?,
            now: now.to_string(),
        })
    }

    /// Adds or updates the contact with this (normalised) address as `mode` allows. A contact
    /// in the trash that an import touches comes back out of it.
    pub fn upsert(&mut self, contact: &Incoming, mode: Mode) -> Result<Upsert> {
        let (address, given) = (&contact.address, &contact.fields);
        // Most rows of an import are new addresses: trying the insert first saves them the
        // lookup, and a conflict says the address is known.
        if mode != Mode::Update {
            let v = given.standard();
            let inserted = self.insert.execute(params![
                address,
                v[0],
                v[1],
                v[2],
                v[3],
                v[4],
                v[5],
                v[6],
                v[7],
                contact.custom_json,
                self.now
            ])?;
            if inserted == 1 {
                // It joins the list in `finish`, with all the other new contacts.
                return Ok(Upsert::New);
            }
        }
        let existing = self
            .select
            .query_row([address], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, bool>(1)?,
                    fields::read(r, 2)?,
                ))
            })
            .optional()?;
        let Some((id, trashed, old)) = existing else {
            return Ok(Upsert::Skipped);
        };
        if let Some(list) = self.list {
            self.member.execute(params![list, id])?;
        }
        if mode == Mode::Add {
            return Ok(Upsert::Skipped);
        }
        let merged = given.over(&old);
        if merged == old && !trashed {
            return Ok(Upsert::Unchanged);
        }
        fields::update(&mut self.update, id, &merged, &self.now)?;
        // Writing an existing contact also takes it out of the trash.
        if trashed {
            self.restore.execute([id])?;
        }
        Ok(Upsert::Updated)
    }

    /// Puts the new contacts into the list, in one statement rather than one per contact.
    pub fn finish(self) -> Result<()> {
        if let Some(list) = self.list {
            self.tx.execute(
                "INSERT OR IGNORE INTO list_members (list_id, contact_id)
                 SELECT ?1, id FROM contacts WHERE id > ?2",
                params![list, self.last_before],
            )?;
        }
        Ok(())
    }
}
