//! The send run: the only path from a confirmed plan to the outbox. `start` checks the
//! confirmation and opens the ledger and the run; `run` delivers — with as many connections as
//! the account allows, each submission let through by the account's one limiter, every state
//! committed by the ledger's writer — until every recipient has an outcome, or the run pauses
//! (asked to, the account's quota, too many errors in a row) or is cancelled. `run` is also
//! how a paused or interrupted run resumes: it picks up exactly the recipients still queued,
//! and the deferred ones whose time has come; `unknown` ones are never picked.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

use super::ledger::{self, Counts, DeliveryState, Finish, Queued, Writer};
use super::limits::{Limiter, Limits, Permit};
use super::mailing::Mailing;
use super::runs::{self, Request, RunState};
use super::transport::{Courier, Outbox, Outcome, Then};
use crate::clock::stamp_of;
use crate::error::{Error, Result};
use crate::review::{Confirmation, Plan, Route, confirmation, plan};
use crate::store::Db;

/// What a run goes by besides the outbox: the account's name (its limits count across runs)
/// and its limits.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub account: Option<String>,
    pub limits: Limits,
    /// Errors in a row (deferred, unknown, no connection) that pause the campaign.
    pub breaker: u32,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            account: None,
            limits: Limits::default(),
            breaker: 5,
        }
    }
}

/// Where a run stands, streamed to the UI a few times a second.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SendProgress {
    #[ts(type = "number")]
    pub campaign_id: i64,
    #[ts(type = "number")]
    pub plan_id: i64,
    #[serde(flatten)]
    pub counts: Counts,
    pub state: Option<RunState>,
    pub reason: Option<String>,
    /// Messages a minute over the last seconds.
    pub per_minute: f64,
    /// Seconds until the last recipient is done, at this rate and within the limits.
    #[ts(type = "number | null")]
    pub eta_seconds: Option<u64>,
    /// The account's limit holds the run until then.
    pub waiting_until: Option<String>,
    /// Only deferred recipients are left: the next is tried again then.
    pub retrying_at: Option<String>,
    /// When a scheduled run starts.
    pub scheduled_at: Option<String>,
    /// The run says it is sending, but nothing sends it: the app or the CLI stopped mid-run.
    pub interrupted: bool,
    pub practice: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SendSummary {
    #[ts(type = "number")]
    pub campaign_id: i64,
    pub state: RunState,
    pub reason: Option<String>,
    #[serde(flatten)]
    pub counts: Counts,
    pub practice: bool,
}

/// How a plan goes out through `outbox` with `options`, starting `at` (none: once confirmed):
/// what the plan freezes of the account and the schedule.
pub fn route(outbox: &Outbox, options: &RunOptions, at: Option<OffsetDateTime>) -> Route {
    Route {
        account: options.account.clone(),
        server: outbox.server(),
        sender: outbox.default_from().map(|m| m.to_string()),
        limits: serde_json::to_value(&options.limits).expect("limits serialise"),
        at: at.map(stamp_of),
    }
}

/// Freezes a campaign into the plan it would be sent as through `outbox` with `options`,
/// starting `at`.
pub fn freeze(
    db: &Db,
    campaign_id: i64,
    outbox: &Outbox,
    options: &RunOptions,
    at: Option<OffsetDateTime>,
) -> Result<Plan> {
    plan::build(db, campaign_id, &route(outbox, options, at))
}

/// Checks the confirmation and records the plan's ledger and run — nothing is sent yet. Refused,
/// with nothing recorded, unless the confirmation carries this plan's digest, the campaign is
/// still exactly as reviewed, and it goes out through the account, within the limits and at the
/// time (`at`; none: now) the plan froze. A plan to send now waits `hold` first (送信保留), as
/// a scheduled run that one click can still cancel.
pub fn start(
    db: &Db,
    plan: &Plan,
    confirmation: &Confirmation,
    outbox: &Outbox,
    options: &RunOptions,
    at: Option<OffsetDateTime>,
    hold: Duration,
) -> Result<()> {
    let now = db.now();
    let route = route(outbox, options, at);
    let from = at.unwrap_or_else(|| db.clock().now());
    let checks = super::preflight::preflight(db, plan, options, from)?.checks;
    if let Some(blocker) = checks.blockers.first() {
        return Err(Error::Blocked {
            count: blocker.count,
            first: blocker.recipients.first().cloned().unwrap_or_default(),
        });
    }
    let starts_at = at
        .or_else(|| (!hold.is_zero()).then(|| db.clock().now() + hold))
        .map(stamp_of);
    let acknowledged = serde_json::to_value(confirmation).expect("a confirmation serialises");
    let shown = serde_json::json!({ "warnings": checks.warnings, "blockers": checks.blockers });
    db.with_tx(|tx| {
        confirmation::check(tx, plan, confirmation, &route)?;
        confirmation::record(tx, plan, &acknowledged, &shown, &now)?;
        ledger::open(tx, plan, &now)?;
        runs::create(
            tx,
            plan.id,
            options.account.as_deref(),
            starts_at.as_deref(),
            &now,
        )
    })
}

/// `start`, then `run`: a confirmed plan sent now. A server that cannot be reached or refuses
/// the login is reported before the plan is started, with no recipient touched.
pub async fn send(
    db: &Db,
    plan_id: i64,
    confirmation: &Confirmation,
    outbox: &Outbox,
    options: &RunOptions,
    on_progress: impl Fn(&SendProgress) + Send + Sync + 'static,
) -> Result<SendSummary> {
    outbox.check().await?;
    start(
        db,
        &plan::load(&*db.conn()?, plan_id)?,
        confirmation,
        outbox,
        options,
        None,
        Duration::ZERO,
    )?;
    run(db, plan_id, outbox, options, on_progress).await
}

/// Delivers a started plan until it is finished, paused or cancelled; see the module's text.
pub async fn run(
    db: &Db,
    plan_id: i64,
    outbox: &Outbox,
    options: &RunOptions,
    on_progress: impl Fn(&SendProgress) + Send + Sync + 'static,
) -> Result<SendSummary> {
    let _lock = runs::try_lock(db, plan_id)?.ok_or(Error::RunBusy)?;
    let plan = plan::load(&*db.conn()?, plan_id)?;
    let campaign_id = plan.snapshot.campaign_id;
    let run = runs::get(db, plan_id).map_err(|e| match e {
        Error::NoSuchPlan(_) => Error::NotSent(campaign_id),
        e => e,
    })?;
    if run.state.is_over() {
        return Err(Error::RunOver(campaign_id));
    }
    db.with_tx(|tx| ledger::recover_plan(tx, plan_id, &db.now()))?;
    let ready = async {
        // What was confirmed was a mail from this sender through this server; limits may have
        // been changed meanwhile (they set the pace, not the mail).
        let now = route(outbox, options, None);
        if !now.same_sender(&plan.snapshot.route) {
            return Err(Error::SenderChanged);
        }
        let from = outbox.sender(plan.snapshot.from.as_deref())?;
        let mailing = Mailing::new(db, &plan, from)?;
        outbox.check().await?;
        Ok::<_, Error>(mailing)
    };
    // A server that cannot be reached, a refused login, a changed file: the campaign waits,
    // paused with the reason, for the user to put it right and resume.
    let mailing = match ready.await {
        Ok(mailing) => mailing,
        Err(e) => {
            runs::set_state(db, plan_id, RunState::Paused, Some(&e.to_string()))?;
            return Err(e);
        }
    };
    runs::set_state(db, plan_id, RunState::Sending, None)?;

    let limiter = Limiter::new(
        &options.limits,
        db.clock().clone(),
        earlier_submissions(db, options.account.as_deref(), &options.limits)?,
    );
    let writer = Writer::start(db, options.account.clone())?;
    let context = Arc::new(Context {
        db: db.clone(),
        plan,
        mailing,
        outbox: outbox.clone(),
        writer,
        limiter,
        breaker: options.breaker.max(1),
        stop: Mutex::new(None),
        errors: AtomicU32::new(0),
        waiting_until: Mutex::new(None),
        retrying_at: Mutex::new(None),
        queue: Mutex::new(VecDeque::new()),
    });
    let watcher = tokio::spawn(watch(context.clone(), options.limits.clone(), on_progress));
    let ended = deliver(&context, options.limits.connections).await;
    let stop = context.stop.lock().map(|s| s.clone()).unwrap_or(None);
    watcher.abort();
    let _ = watcher.await;
    // Every outcome is committed before the run reports its end.
    let closed = match Arc::try_unwrap(context) {
        Ok(context) => context.writer.close(),
        Err(_) => Err(Error::Smtp("a connection outlived its run".into())),
    };
    ended?;
    closed?;

    let (state, reason) = match stop {
        None => (RunState::Finished, None),
        Some(Stop::Pause(reason)) => (RunState::Paused, reason),
        Some(Stop::Cancel) => (RunState::Cancelled, None),
    };
    runs::set_state(db, plan_id, state, reason.as_deref())?;
    Ok(SendSummary {
        campaign_id,
        state,
        reason,
        counts: ledger::counts(&*db.conn()?, plan_id)?,
        practice: outbox.is_practice(),
    })
}

/// When this account's submissions within its longest window were answered, from every run.
fn earlier_submissions(
    db: &Db,
    account: Option<&str>,
    limits: &Limits,
) -> Result<Vec<OffsetDateTime>> {
    let Some(account) = account else {
        return Ok(Vec::new());
    };
    let since = stamp_of(db.clock().now() - limits.horizon());
    let conn = db.conn()?;
    let mut stmt =
        conn.prepare("SELECT finished_at FROM attempts WHERE account = ?1 AND finished_at >= ?2")?;
    let stamps = stmt.query_map(rusqlite::params![account, since], |r| r.get::<_, String>(0))?;
    let mut times = Vec::new();
    for stamp in stamps {
        if let Some(t) = crate::clock::parse_stamp(&stamp?) {
            times.push(t);
        }
    }
    Ok(times)
}

#[derive(Debug, Clone)]
enum Stop {
    Pause(Option<String>),
    Cancel,
}

/// What the connections of a run share.
struct Context {
    db: Db,
    plan: Plan,
    mailing: Mailing,
    outbox: Outbox,
    writer: Writer,
    limiter: Limiter,
    breaker: u32,
    stop: Mutex<Option<Stop>>,
    /// Errors in a row, across connections; a success resets it.
    errors: AtomicU32,
    waiting_until: Mutex<Option<OffsetDateTime>>,
    retrying_at: Mutex<Option<OffsetDateTime>>,
    queue: Mutex<VecDeque<Queued>>,
}

impl Context {
    fn stopped(&self) -> bool {
        self.stop.lock().map(|s| s.is_some()).unwrap_or(true)
    }

    fn stop(&self, stop: Stop) {
        if let Ok(mut current) = self.stop.lock() {
            // The first reason stands; a cancel overrides a pause.
            if current.is_none() || matches!(stop, Stop::Cancel) {
                *current = Some(stop);
            }
        }
    }

    fn next(&self) -> Option<Queued> {
        self.queue.lock().ok()?.pop_front()
    }

    fn put_back(&self, queued: Queued) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.push_front(queued);
        }
    }

    /// Counts an error toward the breaker, which pauses the campaign when it trips.
    fn error(&self, what: &str) {
        let errors = self.errors.fetch_add(1, Ordering::SeqCst) + 1;
        if errors >= self.breaker {
            self.stop(Stop::Pause(Some(format!(
                "{errors} errors in a row; the last: {what}"
            ))));
        }
    }

    fn success(&self) {
        self.errors.store(0, Ordering::SeqCst);
    }

    /// Sleeps for `span` of the run's clock, waking early when the run stops.
    async fn sleep(&self, span: Duration) {
        let mut left = self.db.clock().real(span);
        while !left.is_zero() && !self.stopped() {
            let slice = left.min(Duration::from_millis(100));
            tokio::time::sleep(slice).await;
            left -= slice;
        }
    }

    /// The pause before opening a new connection after errors: 1 s, doubling to 5 minutes.
    async fn back_off(&self) {
        let errors = self.errors.load(Ordering::SeqCst).clamp(1, 10);
        let span = Duration::from_secs(1u64 << (errors - 1)).min(Duration::from_secs(300));
        self.sleep(span).await;
    }

    /// A permit from the account's limiter, waiting as long as the limits say; none if the run
    /// stopped meanwhile.
    async fn permit(&self) -> Option<Permit> {
        loop {
            if self.stopped() {
                return None;
            }
            match self.limiter.try_acquire() {
                Ok(permit) => {
                    self.set_waiting(None);
                    return Some(permit);
                }
                Err(wait) => {
                    self.set_waiting(Some(self.db.clock().now() + wait));
                    self.sleep(wait.min(Duration::from_secs(1))).await;
                }
            }
        }
    }

    fn set_waiting(&self, until: Option<OffsetDateTime>) {
        if let Ok(mut waiting) = self.waiting_until.lock() {
            *waiting = until;
        }
    }

    fn set_retrying(&self, at: Option<OffsetDateTime>) {
        if let Ok(mut retrying) = self.retrying_at.lock() {
            *retrying = at;
        }
    }

    /// When a deferred recipient is tried again: 5 minutes, doubling with each attempt.
    fn retry_at(&self, attempts: u32) -> String {
        let span = Duration::from_secs(300 << attempts.min(6));
        stamp_of(self.db.clock().now() + span)
    }
}

/// Works through the due recipients with up to `connections` connections, round after round,
/// until none is left — waiting for deferred ones' time — or the run stops.
async fn deliver(context: &Arc<Context>, connections: u32) -> Result<()> {
    loop {
        if context.stopped() {
            return Ok(());
        }
        let due = ledger::due(&context.db, context.plan.id)?;
        if due.is_empty() {
            match ledger::next_retry(&context.db, context.plan.id)? {
                Some(at) => {
                    let at =
                        crate::clock::parse_stamp(&at).unwrap_or_else(|| context.db.clock().now());
                    let wait = (at - context.db.clock().now()).max(time::Duration::ZERO);
                    context.set_retrying(Some(at));
                    context.sleep(wait.try_into().unwrap_or_default()).await;
                    context.set_retrying(None);
                    continue;
                }
                None => return Ok(()),
            }
        }
        let workers = (connections.max(1) as usize).min(due.len());
        if let Ok(mut queue) = context.queue.lock() {
            *queue = due.into();
        }
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..workers {
            set.spawn(connection(context.clone()));
        }
        while let Some(done) = set.join_next().await {
            done.map_err(|e| Error::Smtp(format!("a connection failed: {e}")))??;
        }
    }
}

/// One connection's loop: take the next recipient, wait for the limiter, build the message,
/// mark it `sending` (durably, with the previous one's outcome), deliver, note the outcome.
async fn connection(context: Arc<Context>) -> Result<()> {
    let mut courier: Option<Courier> = None;
    let mut previous: Option<Finish> = None;
    let result = loop {
        if context.stopped() {
            break Ok(());
        }
        let Some(queued) = context.next() else {
            break Ok(());
        };
        if courier.is_none() {
            flush(&context, &mut previous)?;
            match context.outbox.open(|_| {}).await {
                Ok(opened) => courier = Some(opened),
                Err(e) => {
                    context.put_back(queued);
                    if e.may_pass() {
                        context.error(&e.to_string());
                        context.back_off().await;
                    } else {
                        // TLS or login refused: no retry will fix the account's settings.
                        context.stop(Stop::Pause(Some(e.to_string())));
                    }
                    continue;
                }
            }
        }
        let Some(permit) = context.permit().await else {
            context.put_back(queued);
            break Ok(());
        };
        let Some(open) = courier.as_mut() else {
            break Ok(());
        };
        match attempt(&context, open, &queued, permit, previous.take()).await? {
            Some((finish, then)) => {
                previous = Some(finish);
                match then {
                    Then::Next => {}
                    Then::Reconnect => {
                        flush(&context, &mut previous)?;
                        if let Some(done) = courier.take() {
                            done.close().await;
                        }
                        context.back_off().await;
                    }
                    Then::Pause => {
                        let reason = previous.as_ref().map(|f| f.reply.clone());
                        context.stop(Stop::Pause(reason));
                    }
                }
            }
            None => continue,
        }
        if courier.as_ref().is_some_and(|c| !c.usable()) {
            courier = None;
        }
    };
    let flushed = flush(&context, &mut previous);
    if let Some(open) = courier {
        open.close().await;
    }
    result.and(flushed)
}

/// Sends one recipient's message; the outcome to record, or none when the recipient was not
/// sent at all (suppressed meanwhile, or its message could not be built — recorded here).
async fn attempt(
    context: &Context,
    courier: &mut Courier,
    queued: &Queued,
    permit: Permit,
    previous: Option<Finish>,
) -> Result<Option<(Finish, Then)>> {
    let recipient = &context.plan.snapshot.recipients[queued.position];
    let started_at = context.db.now();
    let message = match context.mailing.message(recipient) {
        Ok(message) => message,
        Err(e) => {
            if let Some(previous) = previous {
                context.writer.finish(previous)?;
            }
            context.writer.finish(Finish {
                id: queued.id,
                state: DeliveryState::Failed,
                reply: e.to_string(),
                message_id: None,
                started_at,
                retry_at: None,
            })?;
            return Ok(None);
        }
    };
    let message_id = message.headers().get_raw("Message-ID").map(str::to_string);
    let bytes = message.formatted();
    if !context.writer.sending(queued, previous).await? {
        return Ok(None);
    }
    let outcome: Outcome = courier.deliver(message.envelope(), &bytes).await;
    permit.answered();
    match outcome.state {
        DeliveryState::Sent => context.success(),
        DeliveryState::Failed => {}
        _ => context.error(&outcome.reply),
    }
    let retry_at =
        (outcome.state == DeliveryState::Deferred).then(|| context.retry_at(queued.attempts));
    Ok(Some((
        Finish {
            id: queued.id,
            state: outcome.state,
            reply: outcome.reply,
            message_id,
            started_at,
            retry_at,
        },
        outcome.then,
    )))
}

fn flush(context: &Context, previous: &mut Option<Finish>) -> Result<()> {
    match previous.take() {
        Some(finish) => context.writer.finish(finish),
        None => Ok(()),
    }
}

/// Reports progress a few times a second and passes on pause and cancel requests (from the UI
/// or another process) to the connections.
async fn watch(
    context: Arc<Context>,
    limits: Limits,
    on_progress: impl Fn(&SendProgress) + Send + Sync + 'static,
) {
    let mut rate = Rate::default();
    loop {
        if let Ok(progress) = progress(&context, &limits, &mut rate) {
            on_progress(&progress);
        }
        if let Ok(Some(request)) = requested(&context) {
            context.stop(match request {
                Request::Pause => Stop::Pause(None),
                Request::Cancel => Stop::Cancel,
            });
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn requested(context: &Context) -> Result<Option<Request>> {
    runs::pending_request(&*context.db.conn()?, context.plan.id)
}

/// Messages done over the last seconds, for the rate and the time left.
#[derive(Default)]
struct Rate {
    samples: VecDeque<(std::time::Instant, u32)>,
}

impl Rate {
    fn per_second(&mut self, done: u32) -> f64 {
        let now = std::time::Instant::now();
        self.samples.push_back((now, done));
        while self
            .samples
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) > Duration::from_secs(10))
        {
            self.samples.pop_front();
        }
        match self.samples.front() {
            Some((t, first)) if now.duration_since(*t) >= Duration::from_millis(500) => {
                f64::from(done - first) / now.duration_since(*t).as_secs_f64()
            }
            _ => 0.0,
        }
    }
}

fn progress(context: &Context, limits: &Limits, rate: &mut Rate) -> Result<SendProgress> {
    let counts = ledger::counts(&*context.db.conn()?, context.plan.id)?;
    let done = counts.total - counts.queued - counts.sending;
    let per_second = rate.per_second(done);
    let left = counts.queued + counts.sending;
    // With only deferred recipients left, the time left is their next try, not a rate.
    let eta = (per_second > 0.0 && left > 0)
        .then(|| Duration::from_secs_f64(f64::from(left) / per_second))
        .map(|d| d.max(limits.duration_for(left)).as_secs());
    let read = |at: &Mutex<Option<OffsetDateTime>>| at.lock().ok().and_then(|a| *a).map(stamp_of);
    Ok(SendProgress {
        campaign_id: context.plan.snapshot.campaign_id,
        plan_id: context.plan.id,
        counts,
        state: Some(RunState::Sending),
        reason: None,
        per_minute: per_second * 60.0,
        eta_seconds: eta,
        waiting_until: read(&context.waiting_until),
        retrying_at: read(&context.retrying_at),
        scheduled_at: None,
        interrupted: false,
        practice: context.outbox.is_practice(),
    })
}

/// Where a campaign's sending stands when no run is reporting: its counts and its run's state.
pub fn status(db: &Db, campaign_id: i64) -> Result<SendProgress> {
    let run = runs::of_campaign(db, campaign_id)?.ok_or(Error::NotSent(campaign_id))?;
    let counts = ledger::counts(&*db.conn()?, run.plan_id)?;
    Ok(SendProgress {
        campaign_id,
        plan_id: run.plan_id,
        counts,
        state: Some(run.state),
        reason: run.reason,
        per_minute: 0.0,
        eta_seconds: None,
        waiting_until: None,
        retrying_at: None,
        scheduled_at: run.scheduled_at,
        interrupted: run.interrupted,
        practice: run.account.is_none(),
    })
}

/// The end of a campaign's sending as it stands, for a run that did not start.
pub fn summary(db: &Db, campaign_id: i64) -> Result<SendSummary> {
    let status = status(db, campaign_id)?;
    Ok(SendSummary {
        campaign_id,
        state: status.state.unwrap_or(RunState::Paused),
        reason: status.reason,
        counts: status.counts,
        practice: status.practice,
    })
}

/// Before `run`: waits for a scheduled run's time. True: send now. False: the run was paused
/// or cancelled meanwhile, or is over.
pub async fn wait_for_start(db: &Db, plan_id: i64) -> Result<bool> {
    loop {
        let run = runs::get(db, plan_id)?;
        match run.state {
            RunState::Scheduled => {}
            RunState::Paused | RunState::Sending => return Ok(true),
            RunState::Cancelled | RunState::Finished => return Ok(false),
        }
        let at = run
            .scheduled_at
            .as_deref()
            .and_then(crate::clock::parse_stamp);
        let left = at.map(|at| at - db.clock().now()).unwrap_or_default();
        if left <= time::Duration::ZERO {
            return Ok(true);
        }
        let left: Duration = left.try_into().unwrap_or_default();
        tokio::time::sleep(db.clock().real(left).min(Duration::from_millis(200))).await;
        if runs::get(db, plan_id)?.state != RunState::Scheduled {
            return Ok(false);
        }
    }
}

/// Puts a campaign's failed and deferred recipients (and, when the user decided so, its
/// unknown ones) back in the queue and opens its run again; `run` then sends them. Returns
/// how many were queued.
pub fn retry(db: &Db, campaign_id: i64, unknown: bool) -> Result<u32> {
    let run = runs::of_campaign(db, campaign_id)?.ok_or(Error::NotSent(campaign_id))?;
    if run.state == RunState::Sending && !run.interrupted {
        return Err(Error::RunBusy);
    }
    let now = db.now();
    db.with_tx(|tx| {
        let queued = ledger::requeue(tx, run.plan_id, unknown, &now)?;
        tx.execute(
            "UPDATE runs SET state = 'paused', reason = NULL, request = NULL, updated_at = ?2
             WHERE plan_id = ?1",
            rusqlite::params![run.plan_id, now],
        )?;
        Ok(queued)
    })
}

/// How long a plan of `count` recipients takes at best within `limits`, and when it would
/// end if it started `from`: the windows decide for large campaigns, the connections for
/// small ones (at a nominal 10 messages a second each over the internet).
pub fn estimate(limits: &Limits, count: u32, from: OffsetDateTime) -> (u64, String) {
    let by_connections = f64::from(count) / (10.0 * f64::from(limits.connections.max(1)));
    let seconds = limits
        .duration_for(count)
        .as_secs()
        .max(by_connections.ceil() as u64);
    (seconds, stamp_of(from + Duration::from_secs(seconds)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::send::limits::find_preset;
    use time::macros::datetime;

    #[test]
    fn the_estimate_follows_the_limits_for_large_campaigns_and_the_connections_for_small() {
        let start = datetime!(2026-12-01 09:00:00 +9);
        let gmail = find_preset("gmail").unwrap().limits;
        let (seconds, end) = estimate(&gmail, 1_200, start);
        assert_eq!(seconds, 2 * 86_400);
        assert_eq!(end, "2026-12-03T00:00:00Z");
        let unlimited = Limits {
            windows: Vec::new(),
            connections: 4,
        };
        assert_eq!(estimate(&unlimited, 400, start).0, 10);
    }
}
