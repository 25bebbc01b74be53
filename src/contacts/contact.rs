//! A contact as the contacts table shows it: address, fields, tags, lists, suppression and
//! trash state, read in one statement per contact.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::fields::{self, ContactFields};
use super::suppression::SuppressionReason;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Contact {
    #[ts(type = "number")]
    pub id: i64,
    pub address: String,
    #[serde(flatten)]
    pub fields: ContactFields,
    /// Tag names, in name order.
    pub tags: Vec<String>,
    /// The lists it belongs to, in name order.
    pub lists: Vec<String>,
    /// Set when its address is on the suppression list: it is never mailed.
    pub suppressed: Option<Suppressed>,
    /// In the trash: hidden from its lists and never mailed until restored.
    pub deleted: bool,
    pub updated_at: String,
}

/// Why and since when a contact's address is suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Suppressed {
    pub reason: SuppressionReason,
    pub created_at: String,
}

/// One contact by id with everything `Contact` holds; `?1` is the id. The suppression join is
/// case-insensitive like the suppression list itself.
const SELECT: &str = "
    SELECT c.id, c.address,
           c.name, c.last_name, c.first_name, c.kana, c.company, c.department, c.job_title,
           c.phone, c.fields,
           (SELECT json_group_array(t.name ORDER BY t.name)
              FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id),
           (SELECT json_group_array(l.name ORDER BY l.name)
              FROM list_members m JOIN lists l ON l.id = m.list_id WHERE m.contact_id = c.id),
           s.reason, s.created_at, c.deleted_at IS NOT NULL, c.updated_at
    FROM contacts c LEFT JOIN suppressions s ON s.address = c.address COLLATE NOCASE
    WHERE c.id = ?1";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Contact> {
    let names = |at: usize| -> rusqlite::Result<Vec<String>> {
        let json: String = r.get(at)?;
        Ok(serde_json::from_str(&json).unwrap_or_default())
    };
    let reason: Option<SuppressionReason> = r.get(13)?;
    Ok(Contact {
        id: r.get(0)?,
        address: r.get(1)?,
        fields: fields::read(r, 2)?,
        tags: names(11)?,
        lists: names(12)?,
        suppressed: match reason {
            Some(reason) => Some(Suppressed {
                reason,
                created_at: r.get(14)?,
            }),
            None => None,
        },
        deleted: r.get(15)?,
        updated_at: r.get(16)?,
    })
}

/// The contacts with these ids, in the order given.
pub(crate) fn load(conn: &Connection, ids: &[i64]) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(SELECT)?;
    ids.iter()
        .map(|&id| {
            stmt.query_row([id], from_row)
                .optional()?
                .ok_or(Error::NoSuchContact(id))
        })
        .collect()
}

/// Fails with the first id that names no contact, so a batch either applies to every contact
/// it names or to none.
pub(crate) fn require(conn: &Connection, ids: &[i64]) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM contacts WHERE id = ?1")?;
    for &id in ids {
        if !stmt.exists([id])? {
            return Err(Error::NoSuchContact(id));
        }
    }
    Ok(())
}
