//! Who of a list may be mailed: its members outside the trash whose address is not suppressed.
//! Every plan takes its recipients from here, so a suppressed address never reaches a send.

use rusqlite::Connection;

use super::lists::ContactRow;
use crate::error::Result;

/// A list's mailable members, by address, and how many members were left out because their
/// address is suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipients {
    pub contacts: Vec<ContactRow>,
    pub excluded: u32,
}

pub fn recipients(conn: &Connection, list_id: i64) -> Result<Recipients> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.address, c.name, s.address IS NOT NULL FROM contacts c
         JOIN list_members m ON m.contact_id = c.id
         LEFT JOIN suppressions s ON s.address = c.address COLLATE NOCASE
         WHERE m.list_id = ?1 AND c.deleted_at IS NULL ORDER BY c.address",
    )?;
    let mut recipients = Recipients {
        contacts: Vec::new(),
        excluded: 0,
    };
    let mut rows = stmt.query([list_id])?;
    while let Some(r) = rows.next()? {
        if r.get(3)? {
            recipients.excluded += 1;
        } else {
            recipients.contacts.push(ContactRow {
                id: r.get(0)?,
                address: r.get(1)?,
                name: r.get(2)?,
            });
        }
    }
    Ok(recipients)
}
