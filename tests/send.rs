//! The send engine against the real test SMTP peer with scripted faults: every recipient ends
//! in the right state, nothing is received twice unless the ledger says unknown, the limits
//! hold by the peer's own clock, runs pause, resume, cancel and retry, and a CLI killed at
//! random moments loses and repeats nothing.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use common::{SmtpPeer, Workspace};
use serde_json::json;
use shisa::clock::ScaledClock;
use shisa::compose::NewCampaign;
use shisa::review::{Confirmation, Plan};
use shisa::send::limits::{MINUTE, Window};
use shisa::send::runs::{self, Request};
use shisa::send::{DeliveryState, Limits, Outbox, RunOptions, RunState, SmtpAccount, runner};
use shisa::{Error, history, store};
use time::OffsetDateTime;

/// A campaign to the given addresses; returns its id.
fn campaign(ws: &Workspace, addresses: &[String]) -> i64 {
    let mut csv = String::from("email,name\n");
    for (i, a) in addresses.iter().enumerate() {
        csv += &format!("{a},宛先 {i}\n");
    }
    ws.import(&ws.file("contacts.csv", csv), "宛先");
    let new = NewCampaign {
        list: "宛先".into(),
        subject: "{{name}}様へ".into(),
        html: "<p>{{name}} 様</p>".into(),
        from: Some("office@example.jp".into()),
        ..NewCampaign::default()
    };
    store::campaigns::create(&ws.db, new).unwrap().id
}

/// The campaign's plan through `outbox` within `run`'s limits, now.
fn review(ws: &Workspace, id: i64, outbox: &Outbox, run: &RunOptions) -> Plan {
    runner::freeze(&ws.db, id, outbox, run, None).unwrap()
}

/// Starts the plan, to send now or `at`.
fn start(
    ws: &Workspace,
    plan: &Plan,
    outbox: &Outbox,
    run: &RunOptions,
    at: Option<OffsetDateTime>,
) {
    shisa::send::start(
        &ws.db,
        plan,
        &confirm(plan),
        outbox,
        run,
        at,
        Duration::ZERO,
    )
    .unwrap();
}

fn addresses(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i:04}@example.jp")).collect()
}

fn confirm(plan: &Plan) -> Confirmation {
    Confirmation::of_all(plan)
}

/// A run's options with room for a few errors in a row and the given connections.
fn options(connections: u32, windows: Vec<Window>) -> RunOptions {
    RunOptions {
        account: Some("peer".into()),
        limits: Limits {
            windows,
            connections,
        },
        breaker: 20,
    }
}

fn account(peer: &SmtpPeer, timeout: Duration) -> SmtpAccount {
    SmtpAccount {
        timeout,
        ..peer.account()
    }
}

/// How many times the peer received each recipient.
fn received_counts(peer: &SmtpPeer) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for mail in peer.received() {
        assert_eq!(mail.to.len(), 1, "one recipient per message");
        *counts.entry(mail.to[0].clone()).or_default() += 1;
    }
    counts
}

/// Nothing received twice unless unknown; every sent one received exactly once; nothing
/// received that the ledger says was not sent or may not have been.
fn assert_exact(ws: &Workspace, campaign: i64, peer: &SmtpPeer) {
    let received = received_counts(peer);
    for row in history::deliveries(&ws.db, campaign).unwrap() {
        let n = received.get(&row.address).copied().unwrap_or(0);
        match row.state {
            DeliveryState::Sent => assert_eq!(n, 1, "{} sent once", row.address),
            DeliveryState::Unknown => assert!(n <= 1, "{} unknown, got {n}", row.address),
            DeliveryState::Failed | DeliveryState::Deferred | DeliveryState::Queued => {
                assert_eq!(n, 0, "{} was not sent", row.address)
            }
            DeliveryState::Sending => panic!("{} left sending", row.address),
        }
    }
}

fn state_of(ws: &Workspace, campaign: i64, address: &str) -> (DeliveryState, String, u32) {
    let row = history::deliveries(&ws.db, campaign)
        .unwrap()
        .into_iter()
        .find(|d| d.address == address)
        .unwrap();
    (row.state, row.reply.unwrap_or_default(), row.attempts)
}

#[tokio::test]
async fn each_scripted_fault_ends_in_the_right_state_and_nothing_is_received_twice() {
    every_fault(SmtpPeer::start_with).await;
}

#[tokio::test]
async fn each_fault_ends_the_same_with_a_server_that_does_not_pipeline() {
    every_fault(SmtpPeer::start_without_pipelining).await;
}

async fn every_fault(start: fn(serde_json::Value) -> SmtpPeer) {
    // A minute of back-off passes in 60 ms; a deferred recipient is tried again within a second.
    let ws = Workspace::with_clock(Arc::new(ScaledClock::new(1000)));
    let peer = start(json!([
        { "to": "^bad@", "at": "rcpt", "do": "reply", "code": 550, "message": "5.1.1 No such user" },
        { "to": "^busy@", "at": "rcpt", "do": "reply", "code": 450, "message": "4.2.1 Mailbox busy", "times": 1 },
        { "to": "^later@", "at": "data", "do": "reply", "code": 451, "message": "4.3.0 Try again later", "times": 1 },
        { "to": "^drop@", "at": "rcpt", "do": "disconnect", "times": 1 },
        { "to": "^lost@", "at": "data", "do": "disconnect", "times": 1 },
        { "to": "^slow@", "at": "data", "do": "delay", "delayMs": 1500, "times": 1 },
    ]));
    let mut to: Vec<String> = ["bad", "busy", "later", "drop", "lost", "slow"]
        .iter()
        .map(|n| format!("{n}@example.jp"))
        .collect();
    to.extend(addresses(6));
    let id = campaign(&ws, &to);
    let outbox = Outbox::smtp(&account(&peer, Duration::from_millis(700))).unwrap();
    let run = options(2, Vec::new());
    let plan = review(&ws, id, &outbox, &run);
    let summary = shisa::send::send(&ws.db, plan.id, &confirm(&plan), &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.state, RunState::Finished, "{summary:?}");

    let (state, reply, attempts) = state_of(&ws, id, "bad@example.jp");
    assert_eq!((state, attempts), (DeliveryState::Failed, 1));
    assert!(reply.contains("5.1.1"), "{reply}");
    // Refused for now, before any data: tried again later and sent.
    for address in ["busy@example.jp", "later@example.jp", "drop@example.jp"] {
        let (state, _, attempts) = state_of(&ws, id, address);
        assert_eq!((state, attempts), (DeliveryState::Sent, 2), "{address}");
    }
    // Lost or timed out after the data: unknown, and never sent again.
    for address in ["lost@example.jp", "slow@example.jp"] {
        let (state, reply, attempts) = state_of(&ws, id, address);
        assert_eq!(
            (state, attempts),
            (DeliveryState::Unknown, 1),
            "{address}: {reply}"
        );
    }
    for address in addresses(6) {
        assert_eq!(state_of(&ws, id, &address).0, DeliveryState::Sent);
    }
    assert_exact(&ws, id, &peer);
    let received = received_counts(&peer);
    assert_eq!(received.get("lost@example.jp"), Some(&1));
    assert_eq!(received.get("slow@example.jp"), Some(&1));
}

#[tokio::test]
async fn a_quota_refusal_pauses_the_campaign_and_resume_finishes_it() {
    let ws = Workspace::with_clock(Arc::new(ScaledClock::new(1000)));
    let peer = SmtpPeer::start_with(json!([
        { "to": "^user0003@", "at": "data", "do": "reply", "code": 550,
          "message": "5.4.5 Daily sending quota exceeded", "times": 1 },
    ]));
    let id = campaign(&ws, &addresses(8));
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let run = options(1, Vec::new());
    let plan = review(&ws, id, &outbox, &run);
    let summary = shisa::send::send(&ws.db, plan.id, &confirm(&plan), &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.state, RunState::Paused);
    assert!(summary.reason.as_deref().unwrap().contains("5.4.5"));
    assert_eq!(
        state_of(&ws, id, "user0003@example.jp").0,
        DeliveryState::Deferred
    );
    assert_eq!(summary.counts.sent, 3);
    assert_eq!(summary.counts.queued, 4, "the rest wait, untouched");

    let summary = shisa::send::run(&ws.db, plan.id, &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.state, RunState::Finished);
    assert_eq!(summary.counts.sent, 8);
    assert_exact(&ws, id, &peer);
}

#[tokio::test]
async fn errors_in_a_row_trip_the_breaker_and_a_refused_login_pauses_at_once() {
    let ws = Workspace::with_clock(Arc::new(ScaledClock::new(1000)));
    let peer = SmtpPeer::start_with(json!([
        { "at": "mail", "do": "reply", "code": 421, "message": "4.7.0 Too many connections" },
    ]));
    let id = campaign(&ws, &addresses(10));
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let run = RunOptions {
        breaker: 3,
        ..options(1, Vec::new())
    };
    let plan = review(&ws, id, &outbox, &run);
    let summary = shisa::send::send(&ws.db, plan.id, &confirm(&plan), &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.state, RunState::Paused);
    let reason = summary.reason.unwrap();
    assert!(
        reason.contains("3 errors in a row") && reason.contains("421"),
        "{reason}"
    );
    assert!(peer.received().is_empty());
    assert_exact(&ws, id, &peer);

    // The password changed since the campaign started: paused with the server's words.
    let mut wrong = peer.account();
    wrong.password = Some("wrong".into());
    let outbox = Outbox::smtp(&wrong).unwrap();
    let refused = shisa::send::run(&ws.db, plan.id, &outbox, &run, |_| {}).await;
    assert!(matches!(refused, Err(Error::Smtp(_))), "{refused:?}");
    let paused = runs::of_campaign(&ws.db, id).unwrap().unwrap();
    assert_eq!(paused.state, RunState::Paused);
    assert!(
        paused.reason.unwrap().contains("535"),
        "the server's words are kept"
    );
}

#[tokio::test]
async fn no_window_of_the_peer_ever_holds_more_than_the_limit() {
    // A minute passes in a second: 30 a minute means at most 30 in any second of the peer's.
    let ws = Workspace::with_clock(Arc::new(ScaledClock::new(60)));
    let peer = SmtpPeer::start();
    let id = campaign(&ws, &addresses(75));
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let limit = Window {
        seconds: MINUTE,
        max: 30,
    };
    let run = options(3, vec![limit]);
    let plan = review(&ws, id, &outbox, &run);
    let summary = shisa::send::send(&ws.db, plan.id, &confirm(&plan), &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.counts.sent, 75);
    let times: Vec<u64> = peer.received().iter().map(|m| m.received_at).collect();
    for (i, start) in times.iter().enumerate() {
        let within = times[i..].iter().filter(|t| **t - start < 1000).count();
        assert!(within <= 30, "{within} received within a minute from #{i}");
    }
    // 75 at 30 a minute take two full windows: the limit did hold the run back.
    assert!(times.last().unwrap() - times[0] >= 2000);
    assert_exact(&ws, id, &peer);
    assert!(peer.max_open_connections() <= 3);
}

#[tokio::test]
async fn connections_are_bounded_by_the_account() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start_with(json!([
        { "at": "data", "do": "delay", "delayMs": 20 },
    ]));
    let id = campaign(&ws, &addresses(40));
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let run = options(3, Vec::new());
    let plan = review(&ws, id, &outbox, &run);
    let summary = shisa::send::send(&ws.db, plan.id, &confirm(&plan), &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.counts.sent, 40);
    let open = peer.max_open_connections();
    assert!((1..=3).contains(&open), "{open} connections at once");
    assert_exact(&ws, id, &peer);
}

#[tokio::test]
async fn pause_resume_cancel_and_retry_of_failed_ones_only() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start_with(json!([
        { "to": "^user0001@", "at": "rcpt", "do": "reply", "code": 550, "message": "5.1.1 No such user" },
        { "at": "data", "do": "delay", "delayMs": 30 },
    ]));
    let id = campaign(&ws, &addresses(30));
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let run = options(1, Vec::new());
    let plan = review(&ws, id, &outbox, &run);
    let asked = ws.db.clone();
    start(&ws, &plan, &outbox, &run, None);
    let pauser = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        runs::request(&asked, id, Request::Pause).unwrap();
    });
    let summary = shisa::send::run(&ws.db, plan.id, &outbox, &run, |_| {})
        .await
        .unwrap();
    pauser.await.unwrap();
    assert_eq!(summary.state, RunState::Paused);
    assert!(
        summary.counts.queued > 0 && summary.counts.sent > 0,
        "{summary:?}"
    );
    assert_exact(&ws, id, &peer);

    let summary = shisa::send::run(&ws.db, plan.id, &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.state, RunState::Finished);
    assert_eq!((summary.counts.sent, summary.counts.failed), (29, 1));

    // Retry: only the failed one is tried again (and fails again); nobody else is mailed.
    let before = peer.received().len();
    assert_eq!(shisa::send::runner::retry(&ws.db, id, false).unwrap(), 1);
    let summary = shisa::send::run(&ws.db, plan.id, &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!((summary.counts.sent, summary.counts.failed), (29, 1));
    assert_eq!(
        state_of(&ws, id, "user0001@example.jp").2,
        2,
        "two attempts"
    );
    assert_eq!(peer.received().len(), before);

    // A cancelled campaign sends nothing more, though a recipient waits in the queue.
    assert_eq!(shisa::send::runner::retry(&ws.db, id, false).unwrap(), 1);
    let cancelled = runs::request(&ws.db, id, Request::Cancel).unwrap();
    assert_eq!(cancelled.state, RunState::Cancelled);
    assert!(matches!(
        shisa::send::run(&ws.db, plan.id, &outbox, &run, |_| {}).await,
        Err(Error::RunOver(_))
    ));
    assert_exact(&ws, id, &peer);
}

#[tokio::test]
async fn a_scheduled_campaign_waits_for_its_time_and_can_be_cancelled_before() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let id = campaign(&ws, &addresses(3));
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let run = options(1, Vec::new());
    // Stored to the second: at least a second and a half from now.
    let at = ws.db.clock().now() + Duration::from_millis(2500);
    let plan = runner::freeze(&ws.db, id, &outbox, &run, Some(at)).unwrap();
    start(&ws, &plan, &outbox, &run, Some(at));
    assert_eq!(
        runs::of_campaign(&ws.db, id).unwrap().unwrap().state,
        RunState::Scheduled
    );
    let started = std::time::Instant::now();
    assert!(
        shisa::send::runner::wait_for_start(&ws.db, plan.id)
            .await
            .unwrap()
    );
    assert!(started.elapsed() >= Duration::from_millis(1400));
    assert!(peer.received().is_empty());
    let summary = shisa::send::run(&ws.db, plan.id, &outbox, &run, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.counts.sent, 3);

    // Another one, cancelled while it waits: nothing is sent.
    let ws = Workspace::new();
    let id = campaign(&ws, &addresses(3));
    let at = ws.db.clock().now() + Duration::from_secs(60);
    let plan = runner::freeze(&ws.db, id, &outbox, &run, Some(at)).unwrap();
    start(&ws, &plan, &outbox, &run, Some(at));
    let db = ws.db.clone();
    let waiting =
        tokio::spawn(async move { shisa::send::runner::wait_for_start(&db, plan.id).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    runs::request(&ws.db, id, Request::Cancel).unwrap();
    assert!(!waiting.await.unwrap().unwrap());
    assert_eq!(
        runs::of_campaign(&ws.db, id).unwrap().unwrap().state,
        RunState::Cancelled
    );
    assert_eq!(peer.received().len(), 3);
}
