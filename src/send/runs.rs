//! A run: how a confirmed plan is being delivered — through which account, from when, and
//! whether it is scheduled, sending, paused, cancelled or finished. One process at a time
//! sends a plan, holding its lock file; the lock goes with the process, however it ends, so a
//! run whose state says `sending` without a lock holder was interrupted and may be resumed.

use std::fs::File;
use std::path::PathBuf;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum RunState {
    Scheduled,
    Sending,
    Paused,
    Cancelled,
    Finished,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Scheduled => "scheduled",
            RunState::Sending => "sending",
            RunState::Paused => "paused",
            RunState::Cancelled => "cancelled",
            RunState::Finished => "finished",
        }
    }

    fn parse(s: &str) -> Option<RunState> {
        [
            RunState::Scheduled,
            RunState::Sending,
            RunState::Paused,
            RunState::Cancelled,
            RunState::Finished,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// The run is over and will not send again (a retry opens it again).
    pub fn is_over(self) -> bool {
        matches!(self, RunState::Cancelled | RunState::Finished)
    }
}

impl rusqlite::types::FromSql for RunState {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        RunState::parse(value.as_str()?).ok_or(rusqlite::types::FromSqlError::InvalidType)
    }
}

/// What another process (or the UI) asks of the process that sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Request {
    Pause,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Run {
    #[ts(type = "number")]
    pub plan_id: i64,
    #[ts(type = "number")]
    pub campaign_id: i64,
    /// The account's name; none: the practice mailbox.
    pub account: Option<String>,
    pub state: RunState,
    /// Why it paused, in the server's or the app's words.
    pub reason: Option<String>,
    pub scheduled_at: Option<String>,
    pub started_at: Option<String>,
    pub updated_at: String,
    /// It says `sending` but no process sends it: the app or the CLI stopped mid-run.
    pub interrupted: bool,
}

/// Records a new run of a plan: scheduled if `at` is given, else about to send.
pub fn create(
    tx: &rusqlite::Transaction,
    plan_id: i64,
    account: Option<&str>,
    at: Option<&str>,
    now: &str,
) -> Result<()> {
    let state = if at.is_some() {
        RunState::Scheduled
    } else {
        RunState::Sending
    };
    tx.execute(
        // A run cancelled with nothing attempted is started afresh (`ledger::open`).
        "INSERT INTO runs (plan_id, account, state, scheduled_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (plan_id) DO UPDATE SET account = ?2, state = ?3, reason = NULL,
             request = NULL, scheduled_at = ?4, started_at = NULL, updated_at = ?5",
        params![plan_id, account, state.as_str(), at, now],
    )?;
    Ok(())
}

const SELECT: &str = "SELECT r.plan_id, p.campaign_id, r.account, r.state, r.reason,
    r.scheduled_at, r.started_at, r.updated_at FROM runs r JOIN plans p ON p.id = r.plan_id";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Run> {
    Ok(Run {
        plan_id: r.get(0)?,
        campaign_id: r.get(1)?,
        account: r.get(2)?,
        state: r.get(3)?,
        reason: r.get(4)?,
        scheduled_at: r.get(5)?,
        started_at: r.get(6)?,
        updated_at: r.get(7)?,
        interrupted: false,
    })
}

/// A campaign's run (of its latest sent plan), if it was ever sent.
pub fn of_campaign(db: &Db, campaign_id: i64) -> Result<Option<Run>> {
    let run = db
        .conn()?
        .query_row(
            &format!("{SELECT} WHERE p.campaign_id = ?1 ORDER BY r.updated_at DESC, r.plan_id DESC LIMIT 1"),
            [campaign_id],
            from_row,
        )
        .optional()?;
    run.map(|run| with_interruption(db, run)).transpose()
}

pub fn get(db: &Db, plan_id: i64) -> Result<Run> {
    let run = db
        .conn()?
        .query_row(
            &format!("{SELECT} WHERE r.plan_id = ?1"),
            [plan_id],
            from_row,
        )
        .optional()?
        .ok_or(Error::NoSuchPlan(plan_id))?;
    with_interruption(db, run)
}

/// Every run not over yet: scheduled, sending or paused.
pub fn open_runs(db: &Db) -> Result<Vec<Run>> {
    let runs: Vec<Run> = {
        let conn = db.conn()?;
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE r.state IN ('scheduled', 'sending', 'paused') ORDER BY r.plan_id"
        ))?;
        stmt.query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?
    };
    runs.into_iter().map(|r| with_interruption(db, r)).collect()
}

fn with_interruption(db: &Db, mut run: Run) -> Result<Run> {
    if run.state == RunState::Sending {
        run.interrupted = try_lock(db, run.plan_id)?.is_some();
    }
    Ok(run)
}

pub fn set_state(db: &Db, plan_id: i64, state: RunState, reason: Option<&str>) -> Result<()> {
    let now = db.now();
    db.with_tx(|tx| {
        tx.execute(
            "UPDATE runs SET state = ?2, reason = ?3, request = NULL, updated_at = ?4,
             started_at = CASE WHEN ?2 = 'sending' THEN coalesce(started_at, ?4)
                          ELSE started_at END
             WHERE plan_id = ?1",
            params![plan_id, state.as_str(), reason, now],
        )?;
        Ok(())
    })
}

/// Asks a campaign's run to pause or to be cancelled. A run that is not sending right now
/// changes at once; one that is sending stops within a moment, by the process that sends it.
pub fn request(db: &Db, campaign_id: i64, request: Request) -> Result<Run> {
    let run = of_campaign(db, campaign_id)?.ok_or(Error::NotSent(campaign_id))?;
    if run.state.is_over() {
        return Err(Error::RunOver(campaign_id));
    }
    let now = db.now();
    let sending_elsewhere = run.state == RunState::Sending && !run.interrupted;
    db.with_tx(|tx| {
        if sending_elsewhere {
            tx.execute(
                "UPDATE runs SET request = ?2, updated_at = ?3 WHERE plan_id = ?1",
                params![run.plan_id, request_str(request), now],
            )?;
        } else {
            let state = match request {
                Request::Pause => RunState::Paused,
                Request::Cancel => RunState::Cancelled,
            };
            tx.execute(
                "UPDATE runs SET state = ?2, request = NULL, updated_at = ?3 WHERE plan_id = ?1",
                params![run.plan_id, state.as_str(), now],
            )?;
        }
        Ok(())
    })?;
    of_campaign(db, campaign_id)?.ok_or(Error::NotSent(campaign_id))
}

fn request_str(request: Request) -> &'static str {
    match request {
        Request::Pause => "pause",
        Request::Cancel => "cancel",
    }
}

/// The request waiting for the process that sends this plan, if any.
pub fn pending_request(conn: &rusqlite::Connection, plan_id: i64) -> Result<Option<Request>> {
    let request: Option<String> = conn
        .prepare_cached("SELECT request FROM runs WHERE plan_id = ?1")?
        .query_row([plan_id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(match request.as_deref() {
        Some("pause") => Some(Request::Pause),
        Some("cancel") => Some(Request::Cancel),
        _ => None,
    })
}

/// Held by the process that sends a plan; released when dropped or when the process ends.
pub struct RunLock {
    _file: File,
}

fn lock_path(db: &Db, plan_id: i64) -> PathBuf {
    db.dir().join("locks").join(format!("plan-{plan_id}.lock"))
}

/// The plan's lock, unless another process holds it.
pub fn try_lock(db: &Db, plan_id: i64) -> Result<Option<RunLock>> {
    let path = lock_path(db, plan_id);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(Error::io(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(RunLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path)(e)),
    }
}
