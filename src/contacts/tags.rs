//! Tags: free labels on contacts, many per contact. A tag exists while some contact carries
//! it, so the tag list never fills with empty tags.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use super::contact;
use crate::error::{Error, Result};
use crate::store::Db;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TagSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// Contacts carrying it, not counting those in the trash.
    pub contacts: u32,
}

fn tag_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::EmptyTagName);
    }
    Ok(name)
}

pub(crate) fn tag_id(conn: &Connection, name: &str) -> Result<i64> {
    let name = tag_name(name)?;
    conn.query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NoSuchTag(name.to_string()))
}

/// Puts the tag (created if new) on the contacts; returns how many did not have it yet. An
/// unknown id refuses the whole batch.
pub fn tag(db: &Db, ids: &[i64], name: &str) -> Result<u32> {
    let name = tag_name(name)?;
    db.with_tx(|tx| {
        contact::require(tx, ids)?;
        tx.execute(
            "INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            [name],
        )?;
        let tag_id = tag_id(tx, name)?;
        let mut stmt = tx.prepare(
            "INSERT INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?;
        let mut added = 0;
        for id in ids {
            added += stmt.execute(params![id, tag_id])? as u32;
        }
        Ok(added)
    })
}

/// Takes the tag off the contacts; returns how many had it. A tag no contact carries any more
/// is deleted.
pub fn untag(db: &Db, ids: &[i64], name: &str) -> Result<u32> {
    db.with_tx(|tx| {
        contact::require(tx, ids)?;
        let tag_id = tag_id(tx, name)?;
        let mut stmt =
            tx.prepare("DELETE FROM contact_tags WHERE contact_id = ?1 AND tag_id = ?2")?;
        let mut removed = 0;
        for id in ids {
            removed += stmt.execute(params![id, tag_id])? as u32;
        }
        drop_unused(tx)?;
        Ok(removed)
    })
}

/// Every tag with the number of contacts carrying it, by name.
pub fn tags(db: &Db) -> Result<Vec<TagSummary>> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(
        "SELECT t.id, t.name, count(c.id) FROM tags t
         LEFT JOIN contact_tags ct ON ct.tag_id = t.id
         LEFT JOIN contacts c ON c.id = ct.contact_id AND c.deleted_at IS NULL
         GROUP BY t.id ORDER BY t.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TagSummary {
            id: r.get(0)?,
            name: r.get(1)?,
            contacts: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deletes the tags no contact carries.
pub(crate) fn drop_unused(tx: &Transaction) -> Result<()> {
    tx.execute(
        "DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = tags.id)",
        [],
    )?;
    Ok(())
}
