//! The send plan: a frozen snapshot of exactly what a campaign will send, named by its digest.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::compose::merge::{self, Known, MergeValues, values_of};
use crate::compose::{Charset, NewCampaign};
use crate::contacts;
use crate::error::{Error, Result};
use crate::store::Db;
use crate::store::campaigns::{self, CampaignFile};
use crate::store::files::StoredFile;

/// A frozen plan: its snapshot, and the digest that names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Plan {
    #[ts(type = "number")]
    pub id: i64,
    pub digest: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub snapshot: Snapshot,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanRecipient {
    pub address: String,
    pub name: Option<String>,
    /// The values of the merge fields the mail uses, by field key.
    #[serde(default)]
    pub values: MergeValues,
    /// The recipient's own file, if the campaign has them.
    #[serde(default)]
    pub file: Option<StoredFile>,
}

/// Everything the digest covers, in canonical form: fields in declaration order, recipients in
/// address order, values by key. Changing any of it changes the digest — suppressing or
/// trashing a recipient, editing a value the mail uses, replacing a file — so a send confirmed
/// before that is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Snapshot {
    #[ts(type = "number")]
    pub campaign_id: i64,
    pub list: String,
    pub subject: String,
    pub html: String,
    #[serde(default)]
    pub text: Option<String>,
    pub from: Option<String>,
    #[serde(default)]
    pub reply_to: Option<String>,
    #[serde(default)]
    pub unsubscribe: Option<String>,
    #[serde(default)]
    pub charset: Charset,
    /// The custom fields the list's contacts had: merge fields resolve against them.
    #[serde(default)]
    pub custom_fields: Vec<String>,
    #[serde(default)]
    pub files: Vec<CampaignFile>,
    pub recipients: Vec<PlanRecipient>,
    /// Members of the list left out because their address is suppressed.
    #[serde(default)]
    pub excluded: u32,
    #[serde(default)]
    pub route: Route,
}

/// How and when the plan goes out, as the send layer describes it: the account (none: the
/// practice mailbox), its server and login, the sender a mail without its own From gets, the
/// limits it is sent within, and the start (none: as soon as it is confirmed). Frozen with the
/// rest: the same mail through another account, within other limits or at another time is
/// another plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Route {
    pub account: Option<String>,
    /// Security, login and address of the server; none: the practice mailbox.
    pub server: Option<String>,
    pub sender: Option<String>,
    /// The account's limits, as the send layer writes them.
    #[ts(type = "unknown")]
    pub limits: serde_json::Value,
    pub at: Option<String>,
}

impl Route {
    /// The same account, server and sender: what a paused run may go on through. Limits may be
    /// changed meanwhile — they change the pace, not the mail.
    pub fn same_sender(&self, other: &Route) -> bool {
        (&self.account, &self.server, &self.sender)
            == (&other.account, &other.server, &other.sender)
    }
}

impl Snapshot {
    fn of(conn: &rusqlite::Connection, campaign_id: i64, route: &Route) -> Result<Snapshot> {
        let campaign = campaigns::get(conn, campaign_id)?;
        let custom_fields = contacts::custom_fields(conn, campaign.list_id)?;
        let known = Known::new(custom_fields.clone());
        // The values the mail uses — and those naming each recipient's own file, which the
        // review matches against the file's name.
        let mut templates =
            merge::templates(&campaign.subject, &campaign.html, campaign.text.as_deref());
        templates.extend(campaign.attach_each.as_deref().map(merge::Template::parse));
        let used: Vec<String> = templates
            .iter()
            .flat_map(|t| t.fields().into_iter().filter_map(|f| known.key(f)))
            .collect();
        let mut recipients = Vec::new();
        let excluded = contacts::each_recipient(conn, campaign.list_id, |c| {
            let mut values = values_of(&c.address, &c.fields);
            values.retain(|key| used.iter().any(|u| u == key));
            recipients.push(PlanRecipient {
                file: campaign.recipient_files.get(&c.address).cloned(),
                name: c.fields.name,
                address: c.address,
                values,
            });
        })?;
        Ok(Snapshot {
            campaign_id,
            list: campaign.list,
            subject: campaign.subject,
            html: campaign.html,
            text: campaign.text,
            from: campaign.from,
            reply_to: campaign.reply_to,
            unsubscribe: campaign.unsubscribe,
            charset: campaign.charset,
            custom_fields,
            files: campaign.files,
            recipients,
            excluded,
            route: route.clone(),
        })
    }

    fn json(&self) -> String {
        serde_json::to_string(self).expect("a snapshot always serialises")
    }

    fn into_plan(self, id: i64, digest: String) -> Plan {
        Plan {
            id,
            digest,
            snapshot: self,
        }
    }
}

fn digest_of(json: &str) -> String {
    hex::encode(Sha256::digest(json.as_bytes()))
}

/// Freezes the campaign as it is now, to go out by `route`. Building again from unchanged data
/// returns the same plan (same id, same digest); any change yields a new plan with a new digest.
pub fn build(db: &Db, campaign_id: i64, route: &Route) -> Result<Plan> {
    let snapshot = Snapshot::of(&*db.conn()?, campaign_id, route)?;
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

/// A test of a mail not yet written as a campaign: the snapshot its campaign would have,
/// addressed only to `to` (the user's own addresses) with `sample`'s values and files (default:
/// the first recipient), and `mark` before its subject. It is not stored: its digest is the
/// confirmation, as for a campaign.
pub fn test(
    db: &Db,
    new: NewCampaign,
    to: &[String],
    sample: Option<&str>,
    mark: &str,
) -> Result<Plan> {
    let checked = campaigns::check(db, new)?;
    let recipient = checked.recipient(sample)?;
    let draft = &checked.draft;
    if to.is_empty() {
        return Err(Error::NoRecipients);
    }
    let addresses = to
        .iter()
        .map(|a| crate::compose::draft::mailbox(a.trim()).map(|m| m.email.to_string()))
        .collect::<Result<Vec<_>>>()?;
    let values = values_of(&recipient.address, &recipient.fields);
    let own = checked
        .own_file(&values)
        .map(|path| db.files().add(&path))
        .transpose()?;
    let attachments = draft
        .attachments
        .iter()
        .map(|path| db.files().add(path))
        .collect::<Result<Vec<_>>>()?;
    let snapshot = Snapshot {
        campaign_id: 0,
        list: draft.list.clone(),
        subject: format!("{mark} {}", draft.subject),
        html: draft.html.clone(),
        text: draft.text.clone(),
        from: draft.from.clone(),
        reply_to: draft.reply_to.clone(),
        unsubscribe: draft.unsubscribe.clone(),
        charset: draft.charset,
        custom_fields: checked.known.custom().to_vec(),
        files: campaigns::files_of(&attachments, &draft.images),
        recipients: addresses
            .into_iter()
            .map(|address| PlanRecipient {
                address,
                name: recipient.fields.name.clone(),
                values: values.clone(),
                file: own.clone(),
            })
            .collect(),
        excluded: 0,
        route: Route::default(),
    };
    let digest = digest_of(&snapshot.json());
    Ok(snapshot.into_plan(0, digest))
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

/// The digest the campaign would have if it were reviewed now, to go out by `route`.
pub fn current_digest(
    conn: &rusqlite::Connection,
    campaign_id: i64,
    route: &Route,
) -> Result<String> {
    // Hashed as it is written out: the JSON of a large list is never held as one string.
    let mut hasher = Hashing(Sha256::new());
    serde_json::to_writer(&mut hasher, &Snapshot::of(conn, campaign_id, route)?)
        .expect("a snapshot always serialises");
    Ok(hex::encode(hasher.0.finalize()))
}

/// Feeds whatever is written into the digest.
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
