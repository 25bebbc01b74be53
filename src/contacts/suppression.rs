//! The suppression list: addresses that are never mailed, whether or not a contact holds them,
//! with why and since when. Matching ignores letter case, so one entry covers every spelling.

use std::str::FromStr;

use rusqlite::params;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::address;
use crate::error::{Error, Result};
use crate::store::Db;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SuppressionReason {
    /// The person asked to receive no more mail.
    Unsubscribed,
    /// The address does not accept mail.
    Bounced,
    /// The person or their server refuses mail from this office.
    Blocked,
    /// Someone in the office chose to stop mailing it.
    #[default]
    Manual,
}

impl SuppressionReason {
    pub const ALL: [SuppressionReason; 4] = [
        SuppressionReason::Unsubscribed,
        SuppressionReason::Bounced,
        SuppressionReason::Blocked,
        SuppressionReason::Manual,
    ];

    /// The stored (and typed) name.
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionReason::Unsubscribed => "unsubscribed",
            SuppressionReason::Bounced => "bounced",
            SuppressionReason::Blocked => "blocked",
            SuppressionReason::Manual => "manual",
        }
    }
}

impl FromStr for SuppressionReason {
    type Err = String;

    fn from_str(s: &str) -> Result<SuppressionReason, String> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown reason \"{s}\" (use unsubscribed, bounced, blocked or manual)")
            })
    }
}

impl ToSql for SuppressionReason {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for SuppressionReason {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<SuppressionReason> {
        value
            .as_str()?
            .parse()
            .map_err(|e: String| FromSqlError::Other(e.into()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Suppression {
    pub address: String,
    pub reason: SuppressionReason,
    pub note: Option<String>,
    pub created_at: String,
}

/// Normalises every address, or fails on the first that is not one.
fn normalize_all<S: AsRef<str>>(addresses: &[S]) -> Result<Vec<String>> {
    addresses
        .iter()
        .map(|raw| {
            address::normalize(raw.as_ref()).map_err(|reason| Error::BadAddress {
                value: raw.as_ref().to_string(),
                reason: reason.to_string(),
            })
        })
        .collect()
}

/// Puts the addresses on the suppression list; returns how many were not on it yet. An
/// address already there keeps its reason and date. One bad address refuses them all.
pub fn suppress<S: AsRef<str>>(
    db: &Db,
    addresses: &[S],
    reason: SuppressionReason,
    note: Option<&str>,
) -> Result<u32> {
    let addresses = normalize_all(addresses)?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let now = db.now();
    db.with_tx(|tx| {
        let mut insert = tx.prepare(
            "INSERT INTO suppressions (address, reason, note, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
        )?;
        let mut added = 0;
        for address in &addresses {
            added += insert.execute(params![address, reason, note, now])? as u32;
        }
        Ok(added)
    })
}

/// Takes the addresses off the suppression list, in any letter case; returns how many were on
/// it. One bad address refuses them all.
pub fn unsuppress<S: AsRef<str>>(db: &Db, addresses: &[S]) -> Result<u32> {
    let addresses = normalize_all(addresses)?;
    db.with_tx(|tx| {
        let mut delete =
            tx.prepare("DELETE FROM suppressions WHERE address = ?1 COLLATE NOCASE")?;
        let mut removed = 0;
        for address in &addresses {
            removed += delete.execute([address])? as u32;
        }
        Ok(removed)
    })
}

/// Whether an address is on the suppression list, in any letter case.
pub fn is_suppressed(conn: &rusqlite::Connection, address: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM suppressions WHERE address = ?1 COLLATE NOCASE")?
        .exists([address])?)
}

/// The whole suppression list, newest first.
pub fn suppressions(db: &Db) -> Result<Vec<Suppression>> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(
        "SELECT address, reason, note, created_at FROM suppressions
         ORDER BY created_at DESC, address",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Suppression {
            address: r.get(0)?,
            reason: r.get(1)?,
            note: r.get(2)?,
            created_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_parse_in_any_case_and_name_the_choices_otherwise() {
        assert_eq!(
            " Bounced ".parse::<SuppressionReason>(),
            Ok(SuppressionReason::Bounced)
        );
        for reason in SuppressionReason::ALL {
            assert_eq!(reason.as_str().parse(), Ok(reason));
        }
        let err = "spam".parse::<SuppressionReason>().unwrap_err();
        assert!(
            err.contains("\"spam\"") && err.contains("unsubscribed"),
            "{err}"
        );
    }
}
