//! Lists: named groups of contacts that campaigns are written for. A contact may be in many
//! lists; deleting a list keeps its contacts in the address book, and contacts in the trash are
//! nobody's members until restored.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use super::contact;
use crate::error::{Error, Result};
use crate::store::Db;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ListSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// Members, not counting those in the trash.
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

fn list_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::EmptyListName);
    }
    Ok(name)
}

/// The id of the list named `name`, creating it if needed.
pub fn ensure_list(tx: &Transaction, name: &str, now: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO lists (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        params![name, now],
    )?;
    Ok(tx.query_row("SELECT id FROM lists WHERE name = ?1", [name], |r| r.get(0))?)
}

pub fn list_id(conn: &Connection, name: &str) -> Result<i64> {
    conn.query_row("SELECT id FROM lists WHERE name = ?1", [name.trim()], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| Error::NoSuchList(name.trim().to_string()))
}

/// Lists with their member counts; a caller adds WHERE, GROUP BY and ORDER BY.
const SUMMARIES: &str = "SELECT l.id, l.name, count(c.id) FROM lists l
     LEFT JOIN list_members m ON m.list_id = l.id
     LEFT JOIN contacts c ON c.id = m.contact_id AND c.deleted_at IS NULL";

fn summary_from_row(r: &rusqlite::Row) -> rusqlite::Result<ListSummary> {
    Ok(ListSummary {
        id: r.get(0)?,
        name: r.get(1)?,
        contacts: r.get(2)?,
    })
}

fn summary(conn: &Connection, id: i64) -> Result<ListSummary> {
    Ok(conn.query_row(
        &format!("{SUMMARIES} WHERE l.id = ?1 GROUP BY l.id"),
        [id],
        summary_from_row,
    )?)
}

/// Every list with its member count, by name.
pub fn lists(db: &Db) -> Result<Vec<ListSummary>> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(&format!("{SUMMARIES} GROUP BY l.id ORDER BY l.name"))?;
    let rows = stmt.query_map([], summary_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A new, empty list. Its name must be new.
pub fn create_list(db: &Db, name: &str) -> Result<ListSummary> {
    let name = list_name(name)?;
    let now = db.now();
    db.with_tx(|tx| {
        let added = tx.execute(
            "INSERT INTO lists (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
            params![name, now],
        )?;
        if added == 0 {
            return Err(Error::DuplicateList(name.to_string()));
        }
        summary(tx, tx.last_insert_rowid())
    })
}

/// Renames a list; its members and campaigns go with it.
pub fn rename_list(db: &Db, name: &str, new_name: &str) -> Result<ListSummary> {
    let new_name = list_name(new_name)?;
    db.with_tx(|tx| {
        let id = list_id(tx, name)?;
        match list_id(tx, new_name) {
            Ok(other) if other != id => return Err(Error::DuplicateList(new_name.to_string())),
            Ok(_) | Err(Error::NoSuchList(_)) => {}
            Err(e) => return Err(e),
        }
        tx.execute(
            "UPDATE lists SET name = ?1 WHERE id = ?2",
            params![new_name, id],
        )?;
        summary(tx, id)
    })
}

/// Deletes a list; its contacts stay in the address book. A list that campaigns were written
/// for stays, because the history names it.
pub fn delete_list(db: &Db, name: &str) -> Result<()> {
    db.with_tx(|tx| {
        let id = list_id(tx, name)?;
        let campaigns: u32 = tx.query_row(
            "SELECT count(*) FROM campaigns WHERE list_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if campaigns > 0 {
            return Err(Error::ListInUse {
                name: name.trim().to_string(),
                campaigns,
            });
        }
        tx.execute("DELETE FROM lists WHERE id = ?1", [id])?;
        Ok(())
    })
}

/// Adds the contacts to the list; returns how many were not members yet. An unknown id refuses
/// the whole batch.
pub fn add_members(db: &Db, list: &str, ids: &[i64]) -> Result<u32> {
    db.with_tx(|tx| {
        let list_id = list_id(tx, list)?;
        contact::require(tx, ids)?;
        let mut stmt = tx.prepare(
            "INSERT INTO list_members (list_id, contact_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?;
        let mut added = 0;
        for id in ids {
            added += stmt.execute(params![list_id, id])? as u32;
        }
        Ok(added)
    })
}

/// Takes the contacts out of the list (not out of the address book); returns how many were
/// members.
pub fn remove_members(db: &Db, list: &str, ids: &[i64]) -> Result<u32> {
    db.with_tx(|tx| {
        let list_id = list_id(tx, list)?;
        contact::require(tx, ids)?;
        let mut stmt =
            tx.prepare("DELETE FROM list_members WHERE list_id = ?1 AND contact_id = ?2")?;
        let mut removed = 0;
        for id in ids {
            removed += stmt.execute(params![list_id, id])? as u32;
        }
        Ok(removed)
    })
}

/// The members of a list outside the trash, ordered by address so every reader sees them in
/// one order.
pub fn in_list(conn: &Connection, list_id: i64) -> Result<Vec<ContactRow>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.address, c.name FROM contacts c
         JOIN list_members m ON m.contact_id = c.id
         WHERE m.list_id = ?1 AND c.deleted_at IS NULL ORDER BY c.address",
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
