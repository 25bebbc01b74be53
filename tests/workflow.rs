//! The whole path — import, campaign, review, confirm, send, history — against the real test
//! SMTP peer over STARTTLS with AUTH, and the ways a send must be refused.

mod common;

use common::{SmtpPeer, USER, Workspace};
use mail_parser::MessageParser;
use shisa::compose::NewCampaign;
use shisa::contacts::{self, SuppressionReason};
use shisa::review::{Confirmation, Plan, plan};
use shisa::send::{DeliveryState, Outbox, RunOptions, send};
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
    let plan = plan::build(&ws.db, id).unwrap();
    assert_eq!(plan.snapshot.recipients.len(), 3);

    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let outbox = Outbox::smtp(&peer.account()).unwrap();
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
    let plan = plan::build(&ws.db, id).unwrap();

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
    let again = plan::build(&ws.db, id).unwrap();
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
    let plan = plan::build(&ws.db, id).unwrap();
    let same = plan::build(&ws.db, id).unwrap();
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
    let plan = plan::build(&ws.db, id).unwrap();
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
    let plan = plan::build(&ws.db, id).unwrap();
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
    let plan = plan::build(&ws.db, id).unwrap();
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
    let plan = plan::build(&ws.db, id).unwrap();
    let options = RunOptions::default();
    shisa::send::start(&ws.db, plan.id, &confirm(&plan), &options, None).unwrap();
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
    let plan = plan::build(&ws.db, id).unwrap();
    shisa::send::start(
        &ws.db,
        plan.id,
        &confirm(&plan),
        &RunOptions::default(),
        None,
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
