//! The trash: contacts set aside without being lost. A contact in the trash is hidden from its
//! lists and never mailed; restoring it brings it back as it was, emptying the trash deletes it.

use rusqlite::params;

use super::{contact, tags};
use crate::error::Result;
use crate::store::Db;

/// Moves the contacts into the trash; returns how many were not there yet. An unknown id
/// refuses the whole batch.
pub fn trash(db: &Db, ids: &[i64]) -> Result<u32> {
    let now = db.now();
    db.with_tx(|tx| {
        contact::require(tx, ids)?;
        let mut stmt =
            tx.prepare("UPDATE contacts SET deleted_at = ?1 WHERE id = ?2 AND deleted_at IS NULL")?;
        let mut moved = 0;
        for id in ids {
            moved += stmt.execute(params![now, id])? as u32;
        }
        Ok(moved)
    })
}

/// Takes the contacts out of the trash; returns how many were in it. An unknown id refuses the
/// whole batch.
pub fn restore(db: &Db, ids: &[i64]) -> Result<u32> {
    db.with_tx(|tx| {
        contact::require(tx, ids)?;
        let mut stmt = tx.prepare(
            "UPDATE contacts SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
        )?;
        let mut restored = 0;
        for id in ids {
            restored += stmt.execute([id])? as u32;
        }
        Ok(restored)
    })
}

/// Deletes every contact in the trash for good, with its list memberships and tags; returns
/// how many were deleted. Sent mail keeps its own copy of each address in the history.
pub fn empty_trash(db: &Db) -> Result<u32> {
    db.with_tx(|tx| {
        let deleted = tx.execute("DELETE FROM contacts WHERE deleted_at IS NOT NULL", [])?;
        tags::drop_unused(tx)?;
        Ok(deleted as u32)
    })
}
