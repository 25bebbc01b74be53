//! Inline edits from the contacts table: one contact's address and fields replaced as typed.

use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use ts_rs::TS;

use super::address;
use super::contact::{self, Contact};
use super::fields::{self, ContactFields};
use crate::error::{Error, Result};
use crate::store::Db;

/// A contact's new address and fields. Every field is replaced, so a field left blank is
/// cleared; the table sends the whole row with the one cell changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct ContactEdit {
    pub address: String,
    #[serde(flatten)]
    pub fields: ContactFields,
}

/// Replaces the contact's address (normalised like an import's) and fields and returns it as
/// stored. An invalid address or one another contact holds is refused with nothing changed.
pub fn update(db: &Db, id: i64, edit: &ContactEdit) -> Result<Contact> {
    let address = address::normalize(&edit.address).map_err(|reason| Error::BadAddress {
        value: edit.address.clone(),
        reason: reason.to_string(),
    })?;
    let now = db.now();
    db.with_tx(|tx| {
        contact::require(tx, &[id])?;
        let holder: Option<(i64, bool)> = tx
            .query_row(
                "SELECT id, deleted_at IS NOT NULL FROM contacts WHERE address = ?1",
                [&address],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((_, in_trash)) = holder.filter(|(other, _)| *other != id) {
            return Err(Error::DuplicateAddress { address, in_trash });
        }
        tx.execute(
            "UPDATE contacts SET address = ?1 WHERE id = ?2",
            params![address, id],
        )?;
        fields::write(tx, id, &edit.fields.cleaned(), &now)?;
        Ok(contact::load(tx, &[id])?.remove(0))
    })
}
