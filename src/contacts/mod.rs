//! Contacts and lists: the address book every campaign draws its recipients from. Uses `store`
//! only; knows nothing of files or mail.

pub mod address;

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
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

/// Everything known about a contact besides its address. `None` and empty strings mean "not
/// given"; `fields` holds custom fields (columns an import did not map to a standard field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactFields {
    pub name: Option<String>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub kana: Option<String>,
    pub company: Option<String>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub fields: BTreeMap<String, String>,
}

impl ContactFields {
    /// The standard fields by column name, in a fixed order.
    fn standard(&self) -> [(&'static str, &Option<String>); 8] {
        [
            ("name", &self.name),
            ("last_name", &self.last_name),
            ("first_name", &self.first_name),
            ("kana", &self.kana),
            ("company", &self.company),
            ("department", &self.department),
            ("job_title", &self.job_title),
            ("phone", &self.phone),
        ]
    }

    /// These fields laid over `old`: every value given here wins, every value not given keeps
    /// the old one.
    fn over(&self, old: &ContactFields) -> ContactFields {
        let pick = |new: &Option<String>, old: &Option<String>| match new {
            Some(v) if !v.is_empty() => Some(v.clone()),
            _ => old.clone(),
        };
        let mut fields = old.fields.clone();
        fields.extend(
            self.fields
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        ContactFields {
            name: pick(&self.name, &old.name),
            last_name: pick(&self.last_name, &old.last_name),
            first_name: pick(&self.first_name, &old.first_name),
            kana: pick(&self.kana, &old.kana),
            company: pick(&self.company, &old.company),
            department: pick(&self.department, &old.department),
            job_title: pick(&self.job_title, &old.job_title),
            phone: pick(&self.phone, &old.phone),
            fields,
        }
    }
}

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

const COLUMNS: &str =
    "name, last_name, first_name, kana, company, department, job_title, phone, fields";

fn read_fields(r: &rusqlite::Row, at: usize) -> rusqlite::Result<ContactFields> {
    let json: String = r.get(at + 8)?;
    Ok(ContactFields {
        name: r.get(at)?,
        last_name: r.get(at + 1)?,
        first_name: r.get(at + 2)?,
        kana: r.get(at + 3)?,
        company: r.get(at + 4)?,
        department: r.get(at + 5)?,
        job_title: r.get(at + 6)?,
        phone: r.get(at + 7)?,
        fields: serde_json::from_str(&json).unwrap_or_default(),
    })
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
    let existing = tx
        .query_row(
            &format!(
                "SELECT id, deleted_at IS NOT NULL, {COLUMNS} FROM contacts WHERE address = ?1"
            ),
            [address],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, bool>(1)?,
                    read_fields(r, 2)?,
                ))
            },
        )
        .optional()?;
    let write = |id: Option<i64>, f: &ContactFields| -> Result<i64> {
        let json = serde_json::to_string(&f.fields).expect("a string map serialises");
        let values = f.standard().map(|(_, v)| v.clone());
        match id {
            None => {
                tx.execute(
                    &format!(
                        "INSERT INTO contacts (address, {COLUMNS}, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
                    ),
                    params![
                        address, values[0], values[1], values[2], values[3], values[4], values[5],
                        values[6], values[7], json, now
                    ],
                )?;
                Ok(tx.last_insert_rowid())
            }
            Some(id) => {
                tx.execute(
                    "UPDATE contacts SET name = ?1, last_name = ?2, first_name = ?3, kana = ?4,
                     company = ?5, department = ?6, job_title = ?7, phone = ?8, fields = ?9,
                     deleted_at = NULL, updated_at = ?10 WHERE id = ?11",
                    params![
                        values[0], values[1], values[2], values[3], values[4], values[5],
                        values[6], values[7], json, now, id
                    ],
                )?;
                Ok(id)
            }
        }
    };
    match (existing, mode) {
        (None, Mode::Update) => Ok((None, Upsert::Skipped)),
        (None, _) => Ok((Some(write(None, given)?), Upsert::New)),
        (Some((id, _, _)), Mode::Add) => Ok((Some(id), Upsert::Skipped)),
        (Some((id, trashed, old)), _) => {
            let merged = given.over(&old);
            if merged == old && !trashed {
                Ok((Some(id), Upsert::Unchanged))
            } else {
                Ok((Some(write(Some(id), &merged)?), Upsert::Updated))
            }
        }
    }
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
