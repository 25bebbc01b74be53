//! Writing imported contacts: add or update one contact by address, as the import mode allows.

use rusqlite::{OptionalExtension, Transaction, params};
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

/// Adds or updates the contact with this (normalised) address as `mode` allows. A contact in
/// the trash that an import touches comes back out of it.
pub fn upsert(
    tx: &Transaction,
    address: &str,
    given: &ContactFields,
    mode: Mode,
    now: &str,
) -> Result<(Option<i64>, Upsert)> {
    // Cached statements: an import calls this once per row, up to millions of times.
    let existing = tx
        .prepare_cached(&format!(
            "SELECT id, deleted_at IS NOT NULL, {COLUMNS} FROM contacts WHERE address = ?1"
        ))?
        .query_row([address], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, bool>(1)?,
                fields::read(r, 2)?,
            ))
        })
        .optional()?;
    let insert = || -> Result<i64> {
        let v = given.standard();
        tx.prepare_cached(&format!(
            "INSERT INTO contacts (address, {COLUMNS}, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
        ))?
        .execute(params![
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
            now
        ])?;
        Ok(tx.last_insert_rowid())
    };
    match (existing, mode) {
        (None, Mode::Update) => Ok((None, Upsert::Skipped)),
        (None, _) => Ok((Some(insert()?), Upsert::New)),
        (Some((id, _, _)), Mode::Add) => Ok((Some(id), Upsert::Skipped)),
        (Some((id, trashed, old)), _) => {
            let merged = given.over(&old);
            if merged == old && !trashed {
                Ok((Some(id), Upsert::Unchanged))
            } else {
                fields::write(tx, id, &merged, now)?;
                if trashed {
                    tx.execute("UPDATE contacts SET deleted_at = NULL WHERE id = ?1", [id])?;
                }
                Ok((Some(id), Upsert::Updated))
            }
        }
    }
}
