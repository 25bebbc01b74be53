//! Contacts and lists: the address book every campaign draws its recipients from. Uses `store`
//! only; knows nothing of files or mail.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::Db;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ListSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub contacts: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ContactRow {
    #[ts(type = "number")]
    pub id: i64,
    pub address: String,
    pub name: Option<String>,
}

/// What `upsert` did to a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    New,
    Updated,
    Unchanged,
}

/// The id of the list named `name`, creating it if needed.
pub fn ensure_list(tx: &Transaction, name: &str, now: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO lists (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        params![name, now],
    )?;
    Ok(tx.query_row("SELECT id FROM lists WHERE name = ?1", [name], |r| r.get(0))?)
}

pub fn list_id(conn: &rusqlite::Connection, name: &str) -> Result<i64> {
    conn.query_row("SELECT id FROM lists WHERE name = ?1", [name], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NoSuchList(name.to_string()))
}

/// Adds or updates the contact with this (normalised) address. A name in the file replaces the
/// stored one; a missing name keeps it.
pub fn upsert(
    tx: &Transaction,
    address: &str,
    name: Option<&str>,
    now: &str,
) -> Result<(i64, Upsert)> {
    let existing: Option<(i64, Option<String>)> = tx
        .query_row(
            "SELECT id, name FROM contacts WHERE address = ?1",
            [address],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match existing {
        None => {
            tx.execute(
                "INSERT INTO contacts (address, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                params![address, name, now],
            )?;
            Ok((tx.last_insert_rowid(), Upsert::New))
        }
        Some((id, old)) if name.is_some() && old.as_deref() != name => {
            tx.execute(
                "UPDATE contacts SET name = ?1, updated_at = ?2 WHERE id = ?3",
                params![name, now, id],
            )?;
            Ok((id, Upsert::Updated))
        }
        Some((id, _)) => Ok((id, Upsert::Unchanged)),
    }
}

pub fn add_to_list(tx: &Transaction, list_id: i64, contact_id: i64) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO list_members (list_id, contact_id) VALUES (?1, ?2)",
        params![list_id, contact_id],
    )?;
    Ok(())
}

pub fn lists(db: &Db) -> Result<Vec<ListSummary>> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(
        "SELECT l.id, l.name, count(m.contact_id) FROM lists l
         LEFT JOIN list_members m ON m.list_id = l.id
         GROUP BY l.id ORDER BY l.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ListSummary {
            id: r.get(0)?,
            name: r.get(1)?,
            contacts: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The members of a list, ordered by address so every reader sees them in one order.
pub fn in_list(conn: &rusqlite::Connection, list_id: i64) -> Result<Vec<ContactRow>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.address, c.name FROM contacts c
         JOIN list_members m ON m.contact_id = c.id
         WHERE m.list_id = ?1 ORDER BY c.address",
    )?;
    let rows = stmt.query_map([list_id], |r| {
        Ok(ContactRow {
            id: r.get(0)?,
            address: r.get(1)?,
            name: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The members of the list named `name`.
pub fn contacts_of(db: &Db, name: &str) -> Result<Vec<ContactRow>> {
    let conn = db.conn()?;
    let id = list_id(&conn, name)?;
    in_list(&conn, id)
}
