//! Who of a list may be mailed: its members outside the trash whose address is not suppressed.
//! Every plan takes its recipients from here, so a suppressed address never reaches a send.

use rusqlite::Connection;

use super::fields::{self, COLUMNS, ContactFields};
use crate::error::{Error, Result};

/// A list's mailable members, by address, and how many members were left out because their
/// address is suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipients {
    pub contacts: Vec<Recipient>,
    pub excluded: u32,
}

/// A contact that may be mailed, with every field a mail can merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub id: i64,
    pub address: String,
    pub fields: ContactFields,
}

/// The one of `all` whose address (`address_of`) is `address` in any letter case, or the
/// first one when no address is asked for.
pub fn pick<'a, T>(
    all: &'a [T],
    address: Option<&str>,
    address_of: impl Fn(&T) -> &str,
) -> Result<&'a T> {
    match address.map(str::trim) {
        Some(wanted) => all
            .iter()
            .find(|r| address_of(r).eq_ignore_ascii_case(wanted))
            .ok_or_else(|| Error::NotARecipient(wanted.to_string())),
        None => all.first().ok_or(Error::NoRecipients),
    }
}

pub fn recipients(conn: &Connection, list_id: i64) -> Result<Recipients> {
    let mut contacts = Vec::new();
    let excluded = each_recipient(conn, list_id, |r| contacts.push(r))?;
    Ok(Recipients { contacts, excluded })
}

/// Hands a list's mailable members to `each`, by address, one at a time — a list of a hundred
/// thousand is never held whole; returns how many were left out as suppressed.
pub fn each_recipient(
    conn: &Connection,
    list_id: i64,
    mut each: impl FnMut(Recipient),
) -> Result<u32> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.address, s.address IS NOT NULL, {COLUMNS} FROM contacts c
         JOIN list_members m ON m.contact_id = c.id
         LEFT JOIN suppressions s ON s.address = c.address COLLATE NOCASE
         WHERE m.list_id = ?1 AND c.deleted_at IS NULL ORDER BY c.address"
    ))?;
    let mut excluded = 0;
    let mut rows = stmt.query([list_id])?;
    while let Some(r) = rows.next()? {
        if r.get(2)? {
            excluded += 1;
        } else {
            each(Recipient {
                id: r.get(0)?,
                address: r.get(1)?,
                fields: fields::read(r, 3)?,
            });
        }
    }
    Ok(excluded)
}

/// The custom fields the list's contacts have: with the standard ones, the merge fields its
/// mails may use.
pub fn custom_fields(conn: &Connection, list_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT f.key FROM contacts c
         JOIN list_members m ON m.contact_id = c.id, json_each(c.fields) f
         WHERE m.list_id = ?1 AND c.deleted_at IS NULL ORDER BY f.key",
    )?;
    let keys = stmt.query_map([list_id], |r| r.get(0))?;
    Ok(keys.collect::<rusqlite::Result<_>>()?)
}
