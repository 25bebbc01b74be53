//! Stored campaigns: the drafts that compose checks and review freezes into plans.

use rusqlite::{OptionalExtension, params};

use crate::compose::Draft;
use crate::error::{Error, Result};
use crate::store::Db;

/// A stored campaign with the list it is written for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: i64,
    pub list_id: i64,
    pub list: String,
    pub subject: String,
    pub html: String,
    pub from: Option<String>,
}

/// Stores a checked draft for an existing list and returns the campaign id.
pub fn create(db: &Db, draft: &Draft) -> Result<i64> {
    let now = db.now();
    db.with_tx(|tx| {
        let list_id: i64 = tx
            .query_row("SELECT id FROM lists WHERE name = ?1", [&draft.list], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::NoSuchList(draft.list.clone()))?;
        tx.execute(
            "INSERT INTO campaigns (list_id, subject, html, from_addr, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![list_id, draft.subject, draft.html, draft.from, now],
        )?;
        Ok(tx.last_insert_rowid())
    })
}

pub fn get(conn: &rusqlite::Connection, id: i64) -> Result<Campaign> {
    conn.query_row(
        "SELECT c.id, c.list_id, l.name, c.subject, c.html, c.from_addr
         FROM campaigns c JOIN lists l ON l.id = c.list_id WHERE c.id = ?1",
        [id],
        |r| {
            Ok(Campaign {
                id: r.get(0)?,
                list_id: r.get(1)?,
                list: r.get(2)?,
                subject: r.get(3)?,
                html: r.get(4)?,
                from: r.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or(Error::NoSuchCampaign(id))
}
