//! The ledger: one durable state per recipient of a sent plan. Every transition is its own
//! committed transaction, so after a crash the database says exactly who got what.

use std::time::{Duration, Instant};

use rusqlite::params;
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
    /// Earlier attempts (a deferred recipient tried again).
    pub attempts: u32,
}

/// Recipients of a plan counted by state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Counts {
    pub total: u32,
    pub queued: u32,
    pub sending: u32,
    pub sent: u32,
    pub deferred: u32,
    pub failed: u32,
    pub unknown: u32,
}

/// How many times a recipient is deferred before it stays deferred for the user to retry.
pub const MAX_ATTEMPTS: u32 = 4;

/// Opens the ledger for a plan: one `queued` row per recipient, all in one transaction. A
/// campaign is started once; after that it is resumed, never started again, so nothing is sent
/// twice. Only a run cancelled before anything was attempted (during its hold, or while it
/// waited for its time) leaves the campaign free to be confirmed again: the same plan keeps
/// its queued recipients; another plan takes their place (the cancelled run and its
/// confirmation stay on record).
pub fn open(tx: &rusqlite::Transaction, plan: &Plan, now: &str) -> Result<()> {
    let campaign_id = plan.snapshot.campaign_id;
    let taken = tx
        .prepare(
            "SELECT 1 FROM runs r JOIN plans p ON p.id = r.plan_id
             WHERE p.campaign_id = ?1 AND (r.state != 'cancelled' OR EXISTS (
                 SELECT 1 FROM deliveries d
                 WHERE d.plan_id = r.plan_id AND (d.state != 'queued' OR d.attempts > 0)))",
        )?
        .exists([campaign_id])?;
    if taken {
        return Err(Error::AlreadySent(campaign_id));
    }
    tx.execute(
        "DELETE FROM deliveries WHERE plan_id IN (SELECT id FROM plans WHERE campaign_id = ?1)
         AND plan_id != ?2",
        params![campaign_id, plan.id],
    )?;
    let opened = tx
        .prepare("SELECT 1 FROM deliveries WHERE plan_id = ?1 LIMIT 1")?
        .exists([plan.id])?;
    if opened {
        return Ok(());
    }
    let mut insert = tx.prepare(
        "INSERT INTO deliveries (plan_id, position, address, name, state, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'queued', ?5)",
    )?;
    for (position, r) in plan.snapshot.recipients.iter().enumerate() {
        insert.execute(params![plan.id, position as i64, r.address, r.name, now])?;
    }
    Ok(())
}

/// The recipients to send now, in plan order: the queued ones and the deferred ones whose
/// time to try again has come.
pub fn due(db: &Db, plan_id: i64) -> Result<Vec<Queued>> {
    let now = db.now();
    let conn = db.conn()?;
    let mut stmt = conn.prepare(
        "SELECT id, position, address, attempts FROM deliveries
         WHERE plan_id = ?1 AND (state = 'queued'
               OR (state = 'deferred' AND attempts < ?2 AND retry_at <= ?3))
         ORDER BY position",
    )?;
    let rows = stmt.query_map(params![plan_id, MAX_ATTEMPTS, now], |r| {
        Ok(Queued {
            id: r.get(0)?,
            position: r.get::<_, i64>(1)? as usize,
            address: r.get(2)?,
            attempts: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the next deferred recipient may be tried again, if any still may be.
pub fn next_retry(db: &Db, plan_id: i64) -> Result<Option<String>> {
    Ok(db.conn()?.query_row(
        "SELECT min(retry_at) FROM deliveries
         WHERE plan_id = ?1 AND state = 'deferred' AND attempts < ?2",
        params![plan_id, MAX_ATTEMPTS],
        |r| r.get(0),
    )?)
}

pub fn counts(conn: &rusqlite::Connection, plan_id: i64) -> Result<Counts> {
    let mut counts = Counts::default();
    let mut stmt = conn.prepare_cached(
        "SELECT state, count(*) FROM deliveries WHERE plan_id = ?1 GROUP BY state",
    )?;
    let mut rows = stmt.query([plan_id])?;
    while let Some(row) = rows.next()? {
        let n: u32 = row.get(1)?;
        counts.total += n;
        *match row.get::<_, DeliveryState>(0)? {
            DeliveryState::Queued => &mut counts.queued,
            DeliveryState::Sending => &mut counts.sending,
            DeliveryState::Sent => &mut counts.sent,
            DeliveryState::Deferred => &mut counts.deferred,
            DeliveryState::Failed => &mut counts.failed,
            DeliveryState::Unknown => &mut counts.unknown,
        } += n;
    }
    Ok(counts)
}

/// Puts the failed and deferred recipients back in the queue ("retry failed and deferred
/// only"); the unknown ones too only when the user says so, having decided they did not
/// arrive. Their attempts so far still count: one deferred again after as many attempts as
/// the automatic retries allow waits for the user again. Returns how many.
pub fn requeue(tx: &rusqlite::Transaction, plan_id: i64, unknown: bool, now: &str) -> Result<u32> {
    Ok(tx.execute(
        "UPDATE deliveries SET state = 'queued', retry_at = NULL, updated_at = ?3
         WHERE plan_id = ?1 AND (state IN ('failed', 'deferred') OR (?2 AND state = 'unknown'))",
        params![plan_id, unknown, now],
    )? as u32)
}

/// After a crash or a forced quit: a recipient left in `sending` may or may not have got the
/// mail, so it becomes `unknown` — never queued again without the user deciding. Only plans
/// no process is sending (see `runs::lock`) are touched. Returns how many there were.
pub fn recover(db: &Db) -> Result<u32> {
    let plans: Vec<i64> = {
        let conn = db.conn()?;
        let mut stmt =
            conn.prepare("SELECT DISTINCT plan_id FROM deliveries WHERE state = 'sending'")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut recovered = 0;
    for plan_id in plans {
        if let Some(_lock) = super::runs::try_lock(db, plan_id)? {
            recovered += db.with_tx(|tx| recover_plan(tx, plan_id, &db.now()))?;
        }
    }
    Ok(recovered)
}

/// `recover` for one plan whose lock the caller holds.
pub fn recover_plan(tx: &rusqlite::Transaction, plan_id: i64, now: &str) -> Result<u32> {
    tx.execute(
        "INSERT INTO attempts (delivery_id, account, started_at, finished_at, state, reply)
         SELECT d.id, r.account, d.updated_at, ?2, 'unknown', ?3
         FROM deliveries d LEFT JOIN runs r ON r.plan_id = d.plan_id
         WHERE d.plan_id = ?1 AND d.state = 'sending'",
        params![plan_id, now, INTERRUPTED],
    )?;
    Ok(tx.execute(
        "UPDATE deliveries SET state = 'unknown', updated_at = ?2, reply = ?3, status = NULL
         WHERE plan_id = ?1 AND state = 'sending'",
        params![plan_id, now, INTERRUPTED],
    )? as u32)
}

/// The reply recorded for a delivery the app stopped in the middle of.
const INTERRUPTED: &str =
    "the app stopped while this mail was being sent: it may or may not have arrived";

/// The end of one attempt at a recipient.
#[derive(Debug, Clone)]
pub struct Finish {
    pub id: i64,
    pub state: DeliveryState,
    pub reply: String,
    pub message_id: Option<String>,
    pub started_at: String,
    /// For a deferred recipient: when to try again.
    pub retry_at: Option<String>,
}

enum Change {
    /// Marks a recipient `sending` — after committing the previous attempt's end, if any — and
    /// answers whether to go ahead (no: it was suppressed meanwhile, or is not due any more).
    Sending {
        id: i64,
        address: String,
        previous: Option<Finish>,
        answer: tokio::sync::oneshot::Sender<Result<bool>>,
    },
    Finish(Finish),
}

/// The ledger's writer: one thread with its own connection commits the changes of every
/// connection of a run together (a group commit), so a run is not limited to one fsync per
/// message per connection. A `sending` is always durable before its answer comes back, and
/// so before the MAIL FROM it allows.
pub struct Writer {
    changes: std::sync::mpsc::Sender<Change>,
    thread: std::thread::JoinHandle<Result<()>>,
}

impl Writer {
    pub fn start(db: &Db, account: Option<String>) -> Result<Writer> {
        let conn = db.conn()?;
        let db = db.clone();
        let (changes, receive) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("shisa-ledger".into())
            .spawn(move || write_changes(&db, conn, account.as_deref(), &receive))
            .map_err(|e| Error::Smtp(format!("cannot start the ledger: {e}")))?;
        Ok(Writer { changes, thread })
    }

    /// Commits `previous` and marks `queued` sending; true: go ahead and send.
    pub async fn sending(&self, queued: &Queued, previous: Option<Finish>) -> Result<bool> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let change = Change::Sending {
            id: queued.id,
            address: queued.address.clone(),
            previous,
            answer,
        };
        self.changes.send(change).map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }

    /// Records the end of an attempt; committed with the next group, before any later change.
    pub fn finish(&self, finish: Finish) -> Result<()> {
        self.changes
            .send(Change::Finish(finish))
            .map_err(|_| stopped())
    }

    /// Waits for everything sent to the writer to be committed.
    pub fn close(self) -> Result<()> {
        drop(self.changes);
        self.thread.join().map_err(|_| stopped())?
    }
}

fn stopped() -> Error {
    Error::Smtp("the ledger stopped".into())
}

/// Changes waiting when a group starts all go into it, up to this many.
const GROUP: usize = 512;

/// How long a group waits for the other connections' next `sending`.
const GATHER: Duration = Duration::from_micros(150);

/// The changes for one commit: `first`, all that wait already, and — when `expected`
/// connections asked to send last time — a moment's wait for the others, so that one fsync
/// serves them all. A single connection never waits.
fn gather(
    receive: &std::sync::mpsc::Receiver<Change>,
    first: Change,
    expected: usize,
) -> Vec<Change> {
    let deadline = Instant::now() + GATHER;
    let mut group = vec![first];
    let senders = |group: &[Change]| {
        group
            .iter()
            .filter(|c| matches!(c, Change::Sending { .. }))
            .count()
    };
    while group.len() < GROUP {
        let next = match receive.try_recv() {
            Ok(change) => Ok(change),
            Err(_) if expected > 1 && senders(&group) < expected => {
                receive.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            }
            Err(_) => break,
        };
        match next {
            Ok(change) => group.push(change),
            Err(_) => break,
        }
    }
    group
}

fn write_changes(
    db: &Db,
    mut conn: crate::store::Conn,
    account: Option<&str>,
    receive: &std::sync::mpsc::Receiver<Change>,
) -> Result<()> {
    let mut waiting = 0;
    while let Ok(first) = receive.recv() {
        let group = gather(receive, first, waiting);
        waiting = group
            .iter()
            .filter(|c| matches!(c, Change::Sending { .. }))
            .count();
        let now = db.now();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut answers = Vec::new();
        for change in group {
            match change {
                Change::Finish(finish) => record(&tx, account, &finish, &now)?,
                Change::Sending {
                    id,
                    address,
                    previous,
                    answer,
                } => {
                    if let Some(previous) = &previous {
                        record(&tx, account, previous, &now)?;
                    }
                    answers.push((answer, mark_sending(&tx, id, &address, &now)));
                }
            }
        }
        tx.commit()?;
        for (answer, go) in answers {
            let _ = answer.send(go);
        }
    }
    Ok(())
}

/// `sending`, unless the address was suppressed after the review: then failed, never mailed.
fn mark_sending(tx: &rusqlite::Transaction, id: i64, address: &str, now: &str) -> Result<bool> {
    if crate::contacts::is_suppressed(tx, address)? {
        tx.prepare_cached(
            "UPDATE deliveries SET state = 'failed', reply = ?2, updated_at = ?3 WHERE id = ?1",
        )?
        .execute(params![id, SUPPRESSED, now])?;
        return Ok(false);
    }
    let marked = tx
        .prepare_cached(
            "UPDATE deliveries SET state = 'sending', updated_at = ?2
             WHERE id = ?1 AND state IN ('queued', 'deferred')",
        )?
        .execute(params![id, now])?;
    Ok(marked == 1)
}

const SUPPRESSED: &str = "not sent: the address was suppressed after the review";

fn record(tx: &rusqlite::Transaction, account: Option<&str>, f: &Finish, now: &str) -> Result<()> {
    let status = enhanced_status(&f.reply);
    tx.prepare_cached(
        "UPDATE deliveries SET state = ?2, reply = ?3, status = ?4,
         message_id = coalesce(?5, message_id), attempts = attempts + 1, retry_at = ?6,
         updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        f.id,
        f.state.as_str(),
        f.reply,
        status,
        f.message_id,
        f.retry_at,
        now
    ])?;
    tx.prepare_cached(
        "INSERT INTO attempts (delivery_id, account, started_at, finished_at, state, reply)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        f.id,
        account,
        f.started_at,
        now,
        f.state.as_str(),
        f.reply
    ])?;
    Ok(())
}
