//! The user's preferences, kept with their data: each one has a default, so a preference added
//! in a later version reads as its default from an older database.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Db;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Preferences {
    /// A message larger than this (in MB) is pointed out before the review: many servers
    /// refuse mail over 10 MB.
    pub large_message_mb: u32,
    /// The saved account mail goes out through; none: the practice mailbox.
    pub account: Option<String>,
    /// The office's own domains: recipients elsewhere are marked external in the review.
    pub own_domains: Vec<String>,
    /// Domains and addresses never to be mailed: a plan with one of them cannot be sent.
    pub blocked: Vec<String>,
    /// After the user confirms, sending waits this long (送信保留), and one click cancels it
    /// all with nothing sent; 0: no wait.
    pub hold_seconds: u32,
}

impl Default for Preferences {
    fn default() -> Preferences {
        Preferences {
            large_message_mb: 10,
            account: None,
            own_domains: Vec::new(),
            blocked: Vec::new(),
            hold_seconds: 60,
        }
    }
}

impl Preferences {
    pub fn large_message_bytes(&self) -> u64 {
        u64::from(self.large_message_mb) * 1024 * 1024
    }
}

pub fn load(db: &Db) -> Result<Preferences> {
    let json: Option<String> = db
        .conn()?
        .query_row("SELECT value FROM preferences WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

pub fn save(db: &Db, preferences: &Preferences) -> Result<()> {
    let json = serde_json::to_string(preferences).expect("preferences serialise");
    db.with_tx(|tx| {
        tx.execute(
            "INSERT INTO preferences (id, value) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET value = ?1",
            params![json],
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_until_saved() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("db")).unwrap();
        assert_eq!(load(&db).unwrap().large_message_mb, 10);
        save(
            &db,
            &Preferences {
                large_message_mb: 25,
                ..Preferences::default()
            },
        )
        .unwrap();
        assert_eq!(load(&db).unwrap().large_message_bytes(), 25 * 1024 * 1024);
    }
}
