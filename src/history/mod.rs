//! History: what was sent, to whom, and what each server said. Reads the ledger; changes
//! nothing.

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::send::DeliveryState;
use crate::send::ledger::Counts;
use crate::store::{Db, campaigns};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CampaignSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub subject: String,
    pub list: String,
    pub created_at: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DeliveryRow {
    pub address: String,
    pub name: Option<String>,
    pub state: DeliveryState,
    pub reply: Option<String>,
    /// The enhanced status code of the server's reply (e.g. 5.1.1).
    pub status: Option<String>,
    pub message_id: Option<String>,
    pub updated_at: String,
    /// How many times it was tried.
    pub attempts: u32,
    /// When the last attempt began (the MAIL FROM of the mail that arrived, for a sent one).
    pub attempted_at: Option<String>,
}

/// Every campaign, newest first, with its recipients counted by state.
pub fn campaigns(db: &Db) -> Result<Vec<CampaignSummary>> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(
        "SELECT c.id, c.subject, l.name, c.created_at, count(d.id),
                count(*) FILTER (WHERE d.state = 'queued'),
                count(*) FILTER (WHERE d.state = 'sending'),
                count(*) FILTER (WHERE d.state = 'sent'),
                count(*) FILTER (WHERE d.state = 'deferred'),
                count(*) FILTER (WHERE d.state = 'failed'),
                count(*) FILTER (WHERE d.state = 'unknown')
         FROM campaigns c
         JOIN lists l ON l.id = c.list_id
         LEFT JOIN plans p ON p.campaign_id = c.id
         LEFT JOIN deliveries d ON d.plan_id = p.id
         GROUP BY c.id ORDER BY c.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CampaignSummary {
            id: r.get(0)?,
            subject: r.get(1)?,
            list: r.get(2)?,
            created_at: r.get(3)?,
            counts: Counts {
                total: r.get(4)?,
                queued: r.get(5)?,
                sending: r.get(6)?,
                sent: r.get(7)?,
                deferred: r.get(8)?,
                failed: r.get(9)?,
                unknown: r.get(10)?,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One campaign's recipients in the order they were sent, with their states.
pub fn deliveries(db: &Db, campaign_id: i64) -> Result<Vec<DeliveryRow>> {
    rows(db, campaign_id, "")
}

/// The recipients that need the user's eyes: failed, deferred and unknown.
pub fn problems(db: &Db, campaign_id: i64) -> Result<Vec<DeliveryRow>> {
    rows(
        db,
        campaign_id,
        "AND d.state IN ('failed', 'deferred', 'unknown')",
    )
}

fn rows(db: &Db, campaign_id: i64, filter: &str) -> Result<Vec<DeliveryRow>> {
    let conn = db.conn()?;
    campaigns::get(&conn, campaign_id)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT d.address, d.name, d.state, d.reply, d.status, d.message_id, d.updated_at,
                d.attempts,
                (SELECT max(a.started_at) FROM attempts a WHERE a.delivery_id = d.id)
         FROM deliveries d JOIN plans p ON p.id = d.plan_id
         WHERE p.campaign_id = ?1 {filter} ORDER BY d.plan_id, d.position"
    ))?;
    let rows = stmt.query_map(params![campaign_id], |r| {
        Ok(DeliveryRow {
            address: r.get(0)?,
            name: r.get(1)?,
            state: r.get(2)?,
            reply: r.get(3)?,
            status: r.get(4)?,
            message_id: r.get(5)?,
            updated_at: r.get(6)?,
            attempts: r.get(7)?,
            attempted_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
