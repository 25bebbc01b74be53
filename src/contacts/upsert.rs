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

/// Writes imported contacts. Its statements are prepared once for the whole import, which
/// calls it for every row, up to millions of times.
pub struct Writer<'tx> {
    select: Statement<'tx>,
    insert: Statement<'tx>,
    update: Statement<'tx>,
    restore: Statement<'tx>,
    member: Statement<'tx>,
    now: String,
}

impl<'tx> Writer<'tx> {
    pub fn new(tx: &'tx Transaction, now: &str) -> Result<Writer<'tx>> {
        Ok(Writer {
            select: tx.prepare(&format!(
                "SELECT id, deleted_at IS NOT NULL, {COLUMNS} FROM contacts WHERE address = ?1"
            ))?,
            insert: tx.prepare(&format!(
                "INSERT INTO contacts (address, {COLUMNS}, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
                 ON CONFLICT (address) DO NOTHING RETURNING id"
            ))?,
            update: tx.prepare(fields::UPDATE)?,
            restore: tx.prepare("UPDATE contacts SET deleted_at = NULL WHERE id = ?1")?,
            member: tx.prepare(
                "INSERT OR IGNORE INTO list_members (list_id, contact_id) VALUES (?1, ?2)",
            )?,
            now: now.to_string(),
        })
    }

    /// Adds or updates the contact with this (normalised) address as `mode` allows. A contact
    /// in the trash that an import touches comes back out of it.
    pub fn upsert(
        &mut self,
        address: &str,
        given: &ContactFields,
        mode: Mode,
    ) -> Result<(Option<i64>, Upsert)> {
        // Most rows of an import are new addresses: trying the insert first saves them the
        // lookup, and a conflict says the address is known.
        if mode != Mode::Update {
            let v = given.standard();
            let inserted: Option<i64> = self
                .insert
                .query_row(
                    params![
                        address,
                        v[0],
                        v[1],
                        v[2],
                        v[3],
                        v[4],
                        v[5],
                        v[6],
                        v[7],
                        given.custom_json(),
                        self.now
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = inserted {
                return Ok((Some(id), Upsert::New));
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
        match (existing, mode) {
            (None, _) => Ok((None, Upsert::Skipped)),
            (Some((id, _, _)), Mode::Add) => Ok((Some(id), Upsert::Skipped)),
            (Some((id, trashed, old)), _) => {
                let merged = given.over(&old);
                if merged == old && !trashed {
                    return Ok((Some(id), Upsert::Unchanged));
                }
                fields::update(&mut self.update, id, &merged, &self.now)?;
                // Writing an existing contact also takes it out of the trash.
                if trashed {
                    self.restore.execute([id])?;
                }
                Ok((Some(id), Upsert::Updated))
            }
        }
    }

    /// Puts a contact in a list (nothing happens if it is there already).
    pub fn add_to_list(&mut self, list_id: i64, contact_id: i64) -> Result<()> {
        self.member.execute(params![list_id, contact_id])?;
        Ok(())
    }
}
