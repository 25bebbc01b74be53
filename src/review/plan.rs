//! The send plan: a frozen snapshot of exactly what a campaign will send, named by its digest.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::contacts;
use crate::error::{Error, Result};
use crate::store::{Db, campaigns};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Plan {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub campaign_id: i64,
    pub digest: String,
    pub list: String,
    pub subject: String,
    pub html: String,
    pub from: Option<String>,
    pub recipients: Vec<PlanRecipient>,
    /// Members of the list left out because their address is suppressed.
    pub excluded: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanRecipient {
    pub address: String,
    pub name: Option<String>,
}

/// Everything the digest covers, in canonical form: fields in declaration order, recipients in
/// address order. Changing any of it changes the digest — suppressing or trashing a recipient
/// included, so a send confirmed before that is refused.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    campaign_id: i64,
    list: String,
    subject: String,
    html: String,
    from: Option<String>,
    recipients: Vec<PlanRecipient>,
    /// Plans frozen before suppression existed have none.
    #[serde(default)]
    excluded: u32,
}

impl Snapshot {
    fn of(conn: &rusqlite::Connection, campaign_id: i64) -> Result<Snapshot> {
        let campaign = campaigns::get(conn, campaign_id)?;
        let mailable = contacts::recipients(conn, campaign.list_id)?;
        let recipients = mailable
            .contacts
            .into_iter()
            .map(|c| PlanRecipient {
                address: c.address,
                name: c.name,
            })
            .collect();
        Ok(Snapshot {
            campaign_id,
            list: campaign.list,
            subject: campaign.subject,
            html: campaign.html,
            from: campaign.from,
            recipients,
            excluded: mailable.excluded,
        })
    }

    fn json(&self) -> String {
        serde_json::to_string(self).expect("a snapshot always serialises")
    }

    fn into_plan(self, id: i64, digest: String) -> Plan {
        Plan {
            id,
            campaign_id: self.campaign_id,
            digest,
            list: self.list,
            subject: self.subject,
            html: self.html,
            from: self.from,
            recipients: self.recipients,
            excluded: self.excluded,
        }
    }
}

fn digest_of(json: &str) -> String {
    hex::encode(Sha256::digest(json.as_bytes()))
}

/// Freezes the campaign as it is now. Building again from unchanged data returns the same plan
/// (same id, same digest); any change yields a new plan with a new digest.
pub fn build(db: &Db, campaign_id: i64) -> Result<Plan> {
    let snapshot = Snapshot::of(&*db.conn()?, campaign_id)?;
    if snapshot.recipients.is_empty() {
        return Err(Error::NoRecipients);
    }
    let json = snapshot.json();
    let digest = digest_of(&json);
    let now = db.now();
    let id = db.with_tx(|tx| {
        tx.execute(
            "INSERT INTO plans (campaign_id, digest, snapshot, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (campaign_id, digest) DO NOTHING",
            params![campaign_id, digest, json, now],
        )?;
        Ok(tx.query_row(
            "SELECT id FROM plans WHERE campaign_id = ?1 AND digest = ?2",
            params![campaign_id, digest],
            |r| r.get(0),
        )?)
    })?;
    Ok(snapshot.into_plan(id, digest))
}

/// A plan exactly as it was frozen.
pub fn load(conn: &rusqlite::Connection, plan_id: i64) -> Result<Plan> {
    let (digest, json): (String, String) = conn
        .query_row(
            "SELECT digest, snapshot FROM plans WHERE id = ?1",
            [plan_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(Error::NoSuchPlan(plan_id))?;
    let snapshot: Snapshot = serde_json::from_str(&json).map_err(|_| Error::NoSuchPlan(plan_id))?;
    Ok(snapshot.into_plan(plan_id, digest))
}

/// The newest plan frozen for a campaign, if it was ever reviewed.
pub fn latest(conn: &rusqlite::Connection, campaign_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM plans WHERE campaign_id = ?1 ORDER BY id DESC LIMIT 1",
            [campaign_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The digest the campaign would have if it were reviewed now.
pub fn current_digest(conn: &rusqlite::Connection, campaign_id: i64) -> Result<String> {
    Ok(digest_of(&Snapshot::of(conn, campaign_id)?.json()))
}
