//! The ledger: one durable state per recipient of a sent plan. Every transition is its own
//! committed transaction, so after a crash the database says exactly who got what.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::transport::enhanced_status;
use crate::error::{Error, Result};
use crate::review::Plan;
use crate::store::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DeliveryState {
    Queued,
    Sending,
    Sent,
    Deferred,
    Failed,
    /// The server may or may not have taken the mail; never resent without the user deciding.
    Unknown,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Deferred => "deferred",
            DeliveryState::Failed => "failed",
            DeliveryState::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryState> {
        [
            DeliveryState::Queued,
            DeliveryState::Sending,
            DeliveryState::Sent,
            DeliveryState::Deferred,
            DeliveryState::Failed,
            DeliveryState::Unknown,
        ]
        .into_iter()
        .find(|s2| s2.as_str() == s)
    }
}

impl rusqlite::types::FromSql for DeliveryState {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let text = value.as_str()?;
        DeliveryState::parse(text).ok_or(rusqlite::types::FromSqlError::InvalidType)
    }
}

/// A recipient waiting to be sent.
#[derive(Debug, Clone)]
pub struct Queued {
    pub id: i64,
    /// The recipient's place in the plan.
    pub position: usize,
    pub address: String,
    pub name: Option<String>,
}

/// Opens the ledger for a plan: one `queued` row per recipient, all in one transaction. A plan
/// is sent once; a second attempt is refused so nothing is sent twice.
pub fn open(db: &Db, plan: &Plan) -> Result<Vec<Queued>> {
    let now = db.now();
    db.with_tx(|tx| {
        let existing: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM deliveries WHERE plan_id = ?1 LIMIT 1",
                [plan.id],
                |r| r.get(0),
            )
            .optional()?;
        if existing.is_some() {
            return Err(Error::AlreadySent(plan.snapshot.campaign_id));
        }
        let mut insert = tx.prepare(
            "INSERT INTO deliveries (plan_id, position, address, name, state, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'queued', ?5)",
        )?;
        plan.snapshot
            .recipients
            .iter()
            .enumerate()
            .map(|(position, r)| {
                insert.execute(params![plan.id, position as i64, r.address, r.name, now])?;
                Ok(Queued {
                    id: tx.last_insert_rowid(),
                    position,
                    address: r.address.clone(),
                    name: r.name.clone(),
                })
            })
            .collect()
    })
}

/// Records a state change with the server's reply (and the enhanced status code in it),
/// committed before returning.
pub fn record(
    db: &Db,
    delivery_id: i64,
    state: DeliveryState,
    reply: Option<&str>,
    message_id: Option<&str>,
) -> Result<()> {
    let now = db.now();
    let status = reply.and_then(enhanced_status);
    db.with_tx(|tx| {
        tx.execute(
            "UPDATE deliveries SET state = ?1, reply = coalesce(?2, reply),
             status = coalesce(?3, status), message_id = coalesce(?4, message_id),
             updated_at = ?5 WHERE id = ?6",
            params![state.as_str(), reply, status, message_id, now, delivery_id],
        )?;
        Ok(())
    })
}

/// After a crash or a forced quit: a recipient left in `sending` may or may not have got the
/// mail, so it becomes `unknown` — never queued again without the user deciding. Returns how
/// many there were.
pub fn recover(db: &Db) -> Result<u32> {
    let now = db.now();
    db.with_tx(|tx| {
        Ok(tx.execute(
            "UPDATE deliveries SET state = 'unknown', updated_at = ?1,
             reply = coalesce(reply, ?2) WHERE state = 'sending'",
            params![now, INTERRUPTED],
        )? as u32)
    })
}

/// The reply recorded for a delivery the app stopped in the middle of.
const INTERRUPTED: &str =
    "the app stopped while this mail was being sent: it may or may not have arrived";
