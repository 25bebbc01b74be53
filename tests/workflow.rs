//! The whole path — import, campaign, review, confirm, send, history — against the real test
//! SMTP peer over STARTTLS with AUTH, and the ways a send must be refused.

mod common;

use std::time::Duration;

use common::{SmtpPeer, USER, Workspace};
use mail_parser::MessageParser;
use shisa::compose::NewCampaign;
use shisa::contacts::{self, SuppressionReason};
use shisa::review::{Confirmation, Plan};
use shisa::send::runs::{self, Request};
use shisa::send::{DeliveryState, Outbox, RunOptions, RunState, runner, send};
use shisa::{Error, history, store};

const CONTACTS: &str = "メールアドレス,氏名\n\
    yamada@example.jp,山田 太郎\n\
    sato@example.co.jp,佐藤 花子\n\
    suzuki@example.net,鈴木 一郎\n";

/// Imports the three contacts and writes a campaign for them; returns the campaign id.
fn campaign(ws: &Workspace) -> i64 {
    ws.import(&ws.file("contacts.csv", CONTACTS), "顧客");
    let campaign = NewCampaign {
        list: "顧客".into(),
        subject: "{{name}}様へのご案内".into(),
        html: "<p>{{name}} 様</p><p>いつもお世話になっております。</p>".into(),
        from: Some("Shisa 事務局 <office@example.jp>".into()),
        ..NewCampaign::default()
    };
    store::campaigns::create(&ws.db, campaign).unwrap().id
}

/// The plan the campaign is sent as through `outbox`, now, within no limits.
fn review(ws: &Workspace, id: i64, outbox: &Outbox) -> Plan {
    runner::freeze(&ws.db, id, outbox, &RunOptions::default(), None).unwrap()
}

fn confirm(plan: &Plan) -> Confirmation {
    Confirmation::of_all(plan)
}

async fn run(
    ws: &Workspace,
    plan: &Plan,
    confirmation: &Confirmation,
    outbox: &Outbox,
) -> shisa::Result<shisa::send::SendSummary> {
    send(
        &ws.db,
        plan.id,
        confirmation,
        outbox,
        &RunOptions::default(),
        |_| {},
    )
    .await
}

#[tokio::test]
async fn sends_one_personal_mail_per_recipient_over_starttls_with_auth() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let id = campaign(&ws);
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let plan = review(&ws, id, &outbox);
    assert_eq!(plan.snapshot.recipients.len(), 3);

    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let progress = seen.clone();
    let summary = send(
        &ws.db,
        plan.id,
        &confirm(&plan),
        &outbox,
        &RunOptions::default(),
        move |p| progress.lock().unwrap().push(p.clone()),
    )
    .await
    .unwrap();
    let counts = &summary.counts;
    assert_eq!((counts.total, counts.sent, counts.failed), (3, 3, 0));
    assert_eq!(summary.state, shisa::send::RunState::Finished);
    assert!(!summary.practice);
    assert_eq!(seen.lock().unwrap().first().unwrap().counts.total, 3);

    // Sent over several connections at once: they arrive in any order.
    let mut received = peer.received();
    received.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(received.len(), 3);
    for (mail, (address, name)) in received.iter().zip([
        ("sato@example.co.jp", "佐藤 花子"),
        ("suzuki@example.net", "鈴木 一郎"),
        ("yamada@example.jp", "山田 太郎"),
    ]) {
        assert_eq!(mail.to, [address], "exactly one RCPT per message");
        assert_eq!(mail.from, "office@example.jp");
        assert_eq!(mail.user.as_deref(), Some(USER));
        assert!(mail.tls, "STARTTLS was used");
        let message = MessageParser::default().parse(&mail.raw).unwrap();
        assert_eq!(message.to().unwrap().iter().count(), 1);
        assert!(message.cc().is_none() && message.bcc().is_none());
        assert_eq!(message.subject().unwrap(), format!("{name}様へのご案内"));
        let html = message.body_html(0).unwrap();
        assert!(html.contains(&format!(">{name} 様</p>")), "{html}");
        let text = message.body_text(0).unwrap();
        assert!(text.starts_with(&format!("{name} 様")), "{text}");
        assert!(message.message_id().unwrap().ends_with("@example.jp"));
    }

    let deliveries = history::deliveries(&ws.db, id).unwrap();
    assert_eq!(deliveries.len(), 3);
    assert!(deliveries.iter().all(|d| d.state == DeliveryState::Sent));
    assert!(
        deliveries
            .iter()
            .all(|d| d.reply.as_deref().unwrap().starts_with("250"))
    );
    assert!(deliveries.iter().all(|d| d.message_id.is_some()));
    let campaigns = history::campaigns(&ws.db).unwrap();
    assert_eq!(
        (
            campaigns[0].id,
            campaigns[0].counts.sent,
            campaigns[0].counts.total
        ),
        (id, 3, 3)
    );
}

#[tokio::test]
async fn refuses_without_a_digest_with_a_wrong_one_and_after_the_list_changed() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let id = campaign(&ws);
    let plan = review(&ws, id, &outbox);

    let none = Confirmation {
        digest: " ".into(),
        ..confirm(&plan)
    };
    assert!(matches!(
        run(&ws, &plan, &none, &outbox).await,
        Err(Error::NotConfirmed)
    ));
    let wrong = Confirmation {
        digest: "0".repeat(64),
        ..confirm(&plan)
    };
    assert!(matches!(
        run(&ws, &plan, &wrong, &outbox).await,
        Err(Error::WrongDigest)
    ));
    // The digest alone is not a confirmation: each domain, each file and the count are.
    let digest_only = Confirmation::digest(plan.digest.clone());
    assert!(matches!(
        run(&ws, &plan, &digest_only, &outbox).await,
        Err(Error::NotAcknowledged(_))
    ));
    let mut one_domain_short = confirm(&plan);
    one_domain_short.domains.as_mut().unwrap().pop();
    assert!(matches!(
        run(&ws, &plan, &one_domain_short, &outbox).await,
        Err(Error::NotAcknowledged(_))
    ));
    let miscounted = Confirmation {
        count: Some(2),
        ..confirm(&plan)
    };
    assert!(matches!(
        run(&ws, &plan, &miscounted, &outbox).await,
        Err(Error::WrongCount {
            typed: Some(2),
            count: 3
        })
    ));

    let more = ws.file("more.csv", "email,name\ntanaka@example.org,田中 次郎\n");
    ws.import(&more, "顧客");
    assert!(matches!(
        run(&ws, &plan, &confirm(&plan), &outbox).await,
        Err(Error::PlanChanged)
    ));

    assert!(peer.received().is_empty(), "nothing was sent");
    assert!(
        history::deliveries(&ws.db, id).unwrap().is_empty(),
        "nothing was recorded"
    );

    // Reviewing again gives a new plan, which can be confirmed and sent.
    let again = review(&ws, id, &outbox);
    assert_ne!(again.digest, plan.digest);
    assert_eq!(
        run(&ws, &again, &confirm(&again), &outbox)
            .await
            .unwrap()
            .counts
            .sent,
        4
    );
    assert_eq!(peer.received().len(), 4);
}

#[tokio::test]
async fn a_plan_is_sent_once_and_reviewing_unchanged_data_gives_the_same_digest() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let id = campaign(&ws);
    let plan = review(&ws, id, &outbox);
    let same = review(&ws, id, &outbox);
    assert_eq!((same.id, &same.digest), (plan.id, &plan.digest));

    run(&ws, &plan, &confirm(&plan), &outbox).await.unwrap();
    assert!(matches!(
        run(&ws, &plan, &confirm(&plan), &outbox).await,
        Err(Error::AlreadySent(c)) if c == id
    ));
    assert_eq!(peer.received().len(), 3, "nothing was sent twice");
}

#[tokio::test]
async fn a_wrong_password_is_reported_before_any_recipient_is_touched() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let mut account = peer.account();
    account.password = Some("wrong".into());
    let outbox = Outbox::smtp(&account).unwrap();
    let id = campaign(&ws);
    let plan = review(&ws, id, &outbox);
    assert!(matches!(
        run(&ws, &plan, &confirm(&plan), &outbox).await,
        Err(Error::Smtp(_))
    ));
    assert!(history::deliveries(&ws.db, id).unwrap().is_empty());
    assert!(peer.received().is_empty());
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let mut account = peer.account();
    account.extra_roots.clear();
    let outbox = Outbox::smtp(&account).unwrap();
    let id = campaign(&ws);
    let plan = review(&ws, id, &outbox);
    assert!(matches!(
        run(&ws, &plan, &confirm(&plan), &outbox).await,
        Err(Error::Smtp(_))
    ));
    assert!(peer.received().is_empty());
}

#[tokio::test]
async fn practice_mode_writes_one_eml_per_recipient_and_sends_nothing() {
    let ws = Workspace::new();
    let mailbox = shisa::send::practice_mailbox(ws.dir.path());
    let outbox = Outbox::practice(&mailbox).unwrap();
    let id = campaign(&ws);
    let plan = review(&ws, id, &outbox);
    let summary = run(&ws, &plan, &confirm(&plan), &outbox).await.unwrap();
    assert!(summary.practice);
    let files: Vec<_> = std::fs::read_dir(&mailbox).unwrap().collect();
    assert_eq!(files.len(), 3);
    for d in history::deliveries(&ws.db, id).unwrap() {
        let raw = std::fs::read(d.reply.unwrap()).unwrap();
        let message = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(
            message.to().unwrap().first().unwrap().address().unwrap(),
            d.address
        );
        assert!(
            message
                .body_html(0)
                .unwrap()
                .contains(d.name.as_deref().unwrap())
        );
    }
}

#[tokio::test]
async fn an_address_suppressed_after_the_run_started_is_not_mailed() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let id = campaign(&ws);
    let plan = review(&ws, id, &outbox);
    let options = RunOptions::default();
    shisa::send::start(
        &ws.db,
        &plan,
        &confirm(&plan),
        &outbox,
        &options,
        None,
        Duration::ZERO,
    )
    .unwrap();
    // The plan is confirmed and under way when the last recipient unsubscribes.
    let last = plan.snapshot.recipients.last().unwrap().address.clone();
    contacts::suppress(&ws.db, &[&last], SuppressionReason::Unsubscribed, None).unwrap();
    let summary = shisa::send::run(&ws.db, plan.id, &outbox, &options, |_| {})
        .await
        .unwrap();
    assert_eq!((summary.counts.sent, summary.counts.failed), (2, 1));
    assert!(peer.received().iter().all(|m| m.to != [last.clone()]));
    let row = history::deliveries(&ws.db, id)
        .unwrap()
        .into_iter()
        .find(|d| d.address == last)
        .unwrap();
    assert_eq!(row.state, DeliveryState::Failed);
    assert!(row.reply.unwrap().contains("suppressed"));
}

#[tokio::test]
async fn a_recipient_left_sending_by_a_crash_becomes_unknown_and_keeps_its_reply() {
    let ws = Workspace::new();
    let id = campaign(&ws);
    let outbox = Outbox::practice(&shisa::send::practice_mailbox(ws.dir.path())).unwrap();
    let plan = review(&ws, id, &outbox);
    shisa::send::start(
        &ws.db,
        &plan,
        &confirm(&plan),
        &outbox,
        &RunOptions::default(),
        None,
        Duration::ZERO,
    )
    .unwrap();
    // As a killed process leaves it: the first recipient mid-send, the second refused.
    ws.db
        .conn()
        .unwrap()
        .execute_batch(
            "UPDATE deliveries SET state = 'sending' WHERE position = 0;
             UPDATE deliveries SET state = 'failed', reply = '550 5.1.1 <x>: user unknown',
                 status = '5.1.1' WHERE position = 1;",
        )
        .unwrap();
    use shisa::send::ledger;
    assert_eq!(ledger::recover(&ws.db).unwrap(), 1);
    let rows = history::deliveries(&ws.db, id).unwrap();
    assert_eq!(rows[0].state, DeliveryState::Unknown);
    assert!(rows[0].reply.as_deref().unwrap().contains("may or may not"));
    assert_eq!(rows[1].state, DeliveryState::Failed);
    assert_eq!(rows[1].status.as_deref(), Some("5.1.1"));
    assert_eq!(rows[2].state, DeliveryState::Queued);
    assert_eq!(
        ledger::recover(&ws.db).unwrap(),
        0,
        "nothing left to recover"
    );
}

fn contact_id(ws: &Workspace, address: &str) -> i64 {
    ws.db
        .conn()
        .unwrap()
        .query_row(
            "SELECT id FROM contacts WHERE address = ?1",
            [address],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn the_digest_is_stable_and_changes_with_each_kind_of_change() {
    use shisa::contacts::ContactEdit;
    use shisa::send::Limits;
    use shisa::send::limits::{DAY, Window};

    let ws = Workspace::new();
    let id = campaign(&ws);
    let practice = Outbox::practice(&shisa::send::practice_mailbox(ws.dir.path())).unwrap();
    let peer = SmtpPeer::start();
    let smtp = Outbox::smtp(&peer.account()).unwrap();
    let account = RunOptions {
        account: Some("事務所".into()),
        ..RunOptions::default()
    };
    let digest = |outbox: &Outbox, options: &RunOptions, at| {
        runner::freeze(&ws.db, id, outbox, options, at)
            .unwrap()
            .digest
    };
    let base = digest(&smtp, &account, None);
    assert_eq!(
        digest(&smtp, &account, None),
        base,
        "unchanged data, same digest"
    );

    // How and when it goes out: each part is its own plan.
    let mut routes = vec![
        (
            "practice mailbox",
            digest(&practice, &RunOptions::default(), None),
        ),
        (
            "another account name",
            digest(&smtp, &RunOptions::default(), None),
        ),
    ];
    let mut other_port = peer.account();
    other_port.port += 1;
    routes.push((
        "another server",
        digest(&Outbox::smtp(&other_port).unwrap(), &account, None),
    ));
    let mut other_user = peer.account();
    other_user.user = Some("someone-else".into());
    routes.push((
        "another login",
        digest(&Outbox::smtp(&other_user).unwrap(), &account, None),
    ));
    let mut other_sender = peer.account();
    other_sender.from = Some("営業部 <sales@example.jp>".into());
    routes.push((
        "another sender",
        digest(&Outbox::smtp(&other_sender).unwrap(), &account, None),
    ));
    let limited = RunOptions {
        limits: Limits {
            windows: vec![Window {
                seconds: DAY,
                max: 500,
            }],
            ..Limits::default()
        },
        ..account.clone()
    };
    routes.push(("other limits", digest(&smtp, &limited, None)));
    let fewer = RunOptions {
        limits: Limits {
            connections: 1,
            ..Limits::default()
        },
        ..account.clone()
    };
    routes.push(("fewer connections", digest(&smtp, &fewer, None)));
    let at = shisa::clock::parse_time("2030-01-01T09:00:00+09:00").unwrap();
    let scheduled = digest(&smtp, &account, Some(at));
    assert_eq!(
        digest(
            &smtp,
            &account,
            shisa::clock::parse_time("2030-01-01T00:00:00Z").ok()
        ),
        scheduled,
        "the same moment, written in another zone"
    );
    routes.push(("a start time", scheduled));
    routes.push((
        "another start time",
        digest(&smtp, &account, Some(at + Duration::from_secs(60))),
    ));

    // What goes out: the recipients and the values the mail uses.
    let yamada = contact_id(&ws, "yamada@example.jp");
    let edit = |phone: &str, name: &str| ContactEdit {
        address: "yamada@example.jp".into(),
        fields: shisa::contacts::ContactFields {
            name: Some(name.into()),
            phone: Some(phone.into()),
            ..Default::default()
        },
    };
    contacts::update(&ws.db, yamada, &edit("03-0000-0000", "山田 太郎")).unwrap();
    assert_eq!(
        digest(&smtp, &account, None),
        base,
        "a value the mail does not use changes nothing"
    );
    contacts::update(&ws.db, yamada, &edit("03-0000-0000", "山田 次郎")).unwrap();
    routes.push(("a merged value edited", digest(&smtp, &account, None)));
    contacts::update(&ws.db, yamada, &edit("03-0000-0000", "山田 太郎")).unwrap();
    assert_eq!(
        digest(&smtp, &account, None),
        base,
        "put back, the same plan again"
    );
    contacts::trash(&ws.db, &[yamada]).unwrap();
    routes.push(("a recipient trashed", digest(&smtp, &account, None)));
    contacts::restore(&ws.db, &[yamada]).unwrap();
    contacts::suppress(
        &ws.db,
        &["sato@example.co.jp"],
        SuppressionReason::Unsubscribed,
        None,
    )
    .unwrap();
    routes.push(("a recipient suppressed", digest(&smtp, &account, None)));
    ws.import(
        &ws.file("more.csv", "email,name\ntanaka@example.org,田中\n"),
        "顧客",
    );
    routes.push(("a recipient added", digest(&smtp, &account, None)));

    let mut seen = std::collections::HashMap::from([(base.clone(), "the reviewed plan")]);
    for (change, digest) in routes {
        if let Some(earlier) = seen.insert(digest, change) {
            panic!("{change} gives the same digest as {earlier}");
        }
    }
}

#[tokio::test]
async fn a_confirmed_plan_goes_out_only_through_its_account_within_its_limits_at_its_time() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let id = campaign(&ws);
    let options = RunOptions {
        account: Some("事務所".into()),
        ..RunOptions::default()
    };
    let plan = runner::freeze(&ws.db, id, &outbox, &options, None).unwrap();
    let start = |outbox: &Outbox, options: &RunOptions, at| {
        shisa::send::start(
            &ws.db,
            &plan,
            &confirm(&plan),
            outbox,
            options,
            at,
            Duration::ZERO,
        )
    };
    let mut sender = peer.account();
    sender.from = Some("営業部 <sales@example.jp>".into());
    let limited = RunOptions {
        limits: shisa::send::Limits {
            connections: 1,
            ..Default::default()
        },
        ..options.clone()
    };
    let later = ws.db.clock().now() + Duration::from_secs(3600);
    for refused in [
        start(&Outbox::smtp(&sender).unwrap(), &options, None),
        start(&outbox, &RunOptions::default(), None),
        start(&outbox, &limited, None),
        start(&outbox, &options, Some(later)),
    ] {
        assert!(matches!(refused, Err(Error::RouteChanged)), "{refused:?}");
    }
    assert!(
        history::deliveries(&ws.db, id).unwrap().is_empty(),
        "nothing recorded"
    );

    // Confirmed as reviewed, then paused; meanwhile the account's sender is changed. The run
    // does not go on with another sender than the one confirmed — but lower limits are fine.
    start(&outbox, &options, None).unwrap();
    runs::request(&ws.db, id, Request::Pause).unwrap();
    let refused = shisa::send::run(
        &ws.db,
        plan.id,
        &Outbox::smtp(&sender).unwrap(),
        &options,
        |_| {},
    )
    .await;
    assert!(matches!(refused, Err(Error::SenderChanged)), "{refused:?}");
    let paused = runs::of_campaign(&ws.db, id).unwrap().unwrap();
    assert_eq!(paused.state, RunState::Paused);
    assert!(paused.reason.unwrap().contains("sender"));
    assert!(peer.received().is_empty());
    let summary = shisa::send::run(&ws.db, plan.id, &outbox, &limited, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.counts.sent, 3);
    let from = &peer.received()[0].from;
    assert_eq!(
        from, "office@example.jp",
        "the campaign's own From, as confirmed"
    );
}

#[tokio::test]
async fn a_campaign_goes_out_once_unless_cancelled_before_anything_was_attempted() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let id = campaign(&ws);
    let options = RunOptions::default();
    let hold = Duration::from_secs(60);
    let start = |plan: &Plan| {
        shisa::send::start(&ws.db, plan, &confirm(plan), &outbox, &options, None, hold)
    };

    // Cancelled during its hold, then confirmed again unchanged: the same plan goes out.
    let plan = review(&ws, id, &outbox);
    start(&plan).unwrap();
    let held = runs::of_campaign(&ws.db, id).unwrap().unwrap();
    assert_eq!(held.state, RunState::Scheduled, "held before it starts");
    runs::request(&ws.db, id, Request::Cancel).unwrap();
    start(&plan).unwrap();
    // Cancelled again, then the list is changed and the new plan confirmed: it takes the place
    // of the cancelled one, whose queue is dropped (its confirmation record stays).
    runs::request(&ws.db, id, Request::Cancel).unwrap();
    ws.import(
        &ws.file("more.csv", "email,name\ntanaka@example.org,田中\n"),
        "顧客",
    );
    let bigger = review(&ws, id, &outbox);
    assert_ne!(bigger.id, plan.id);
    shisa::send::start(
        &ws.db,
        &bigger,
        &confirm(&bigger),
        &outbox,
        &options,
        None,
        Duration::ZERO,
    )
    .unwrap();
    let summary = shisa::send::run(&ws.db, bigger.id, &outbox, &options, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.counts.sent, 4);
    assert_eq!(history::deliveries(&ws.db, id).unwrap().len(), 4);
    let confirmations: i64 = ws
        .db
        .conn()
        .unwrap()
        .query_row("SELECT count(*) FROM confirmations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(confirmations, 3);

    // Once anything was sent, neither the same plan nor a new one starts the campaign again.
    let refused = start(&bigger);
    assert!(
        matches!(refused, Err(Error::AlreadySent(c)) if c == id),
        "{refused:?}"
    );
    ws.import(
        &ws.file("more2.csv", "email,name\nito@example.org,伊藤\n"),
        "顧客",
    );
    let refused = start(&review(&ws, id, &outbox));
    assert!(
        matches!(refused, Err(Error::AlreadySent(c)) if c == id),
        "{refused:?}"
    );
    assert_eq!(peer.received().len(), 4, "nothing was sent twice");
}
