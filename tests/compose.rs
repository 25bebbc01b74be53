//! Mail as recipients get it: each message built for a plan is parsed back with mail-parser and
//! compared with a golden description of its headers and parts — merge fields, honorifics,
//! inline images, attachments with Japanese names, per-recipient files, ISO-2022-JP — and
//! hostile values never become markup.

mod common;

use std::sync::Arc;

use common::{Workspace, golden};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use serde_json::{Value, json};
use shisa::clock::FixedClock;
use shisa::compose::{Charset, NewCampaign, draft::image_cid};
use shisa::review::{Plan, Route, plan};
use shisa::send::mailing::Mailing;
use shisa::store::campaigns::{self, CreatedCampaign};
use shisa::{Db, Error};

const CONTACTS: &str = "メールアドレス,氏名,会社名,顧客ID\n\
    yamada@example.jp,山田 太郎,株式会社サンプル,C-001\n\
    sato@example.co.jp,佐藤様,,C-002\n\
    evil@example.net,<img src=x onerror=alert(1)>,</p><script>alert(2)</script>,C-003\n";

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n not really an image";

/// A workspace whose clock is pinned, so Date headers are the same on every run.
fn workspace() -> Workspace {
    let ws = Workspace::new();
    let clock = FixedClock(time::macros::datetime!(2026-11-27 09:00 UTC));
    let db = Db::open_with_clock(&ws.db_path(), Arc::new(clock)).unwrap();
    ws.import(&ws.file("contacts.csv", CONTACTS), "顧客");
    Workspace { db, ..ws }
}

fn create(ws: &Workspace, new: NewCampaign) -> shisa::Result<CreatedCampaign> {
    campaigns::create(&ws.db, new)
}

fn campaign(html: &str) -> NewCampaign {
    NewCampaign {
        list: "顧客".into(),
        subject: "{{氏名|ご担当者}}様へ 請求書のご案内".into(),
        html: html.into(),
        from: Some("Shisa 事務局 <office@example.jp>".into()),
        ..NewCampaign::default()
    }
}

/// The raw message one recipient of the campaign gets.
fn message_for(ws: &Workspace, id: i64, address: &str) -> (Plan, Vec<u8>) {
    let plan = plan::build(&ws.db, id, &Route::default()).unwrap();
    let recipient = plan
        .snapshot
        .recipients
        .iter()
        .find(|r| r.address == address)
        .unwrap()
        .clone();
    let from = shisa::compose::draft::mailbox(plan.snapshot.from.as_deref().unwrap()).unwrap();
    let raw = Mailing::new(&ws.db, &plan, from)
        .unwrap()
        .message(&recipient)
        .unwrap()
        .formatted();
    (plan, raw)
}

/// A message as a tree of its parts: types, charsets, names, content ids and sizes.
fn describe(message: &mail_parser::Message, index: u32) -> Value {
    let part = &message.parts[index as usize];
    let content_type = part.content_type().unwrap();
    let mime = format!(
        "{}/{}",
        content_type.ctype(),
        content_type.subtype().unwrap_or_default()
    );
    match &part.body {
        PartType::Multipart(children) => json!({
            "type": mime,
            "parts": children.iter().map(|&c| describe(message, c)).collect::<Vec<_>>(),
        }),
        body => json!({
            "type": mime,
            "charset": content_type.attribute("charset"),
            "name": part.attachment_name(),
            "content_id": part.content_id(),
            "disposition": part.content_disposition().map(|d| d.ctype().to_string()),
            "size": match body {
                PartType::Text(t) | PartType::Html(t) => t.len(),
                PartType::Binary(b) | PartType::InlineBinary(b) => b.len(),
                _ => 0,
            },
        }),
    }
}

fn header(message: &mail_parser::Message, name: &str) -> Value {
    message
        .header_raw(name)
        .map_or(Value::Null, |v| json!(v.trim()))
}

#[test]
fn a_mail_with_every_part_parses_back_as_written() {
    let ws = workspace();
    let logo = ws.db.files().put("ロゴ.png", PNG).unwrap();
    let invoices = ws.dir.path().join("請求書");
    std::fs::create_dir(&invoices).unwrap();
    std::fs::write(invoices.join("C-001.pdf"), b"%PDF-1.7 yamada").unwrap();
    std::fs::write(invoices.join("C-003.pdf"), b"%PDF-1.7 evil").unwrap();
    let terms = ws.file("ご利用規約 2026年版.pdf", b"%PDF-1.7 terms");

    let html = format!(
        "<p><img src=\"cid:{}\" alt=\"ロゴ\"></p><p>{{{{会社名|}}}}<br>{{{{氏名}}}}様</p>\
         <p>今月の請求書をお送りします。</p>\
         <table><tbody><tr><th>顧客ID</th><td>{{{{顧客ID}}}}</td></tr></tbody></table>\
         <p><a class=\"shisa-button\" href=\"https://example.jp/pay\">お支払い</a></p>",
        image_cid(&logo)
    );
    let mut new = campaign(&html);
    new.reply_to = Some("経理 <keiri@example.jp>".into());
    new.unsubscribe = Some("stop@example.jp".into());
    new.attachments = vec![terms.to_string_lossy().into_owned()];
    new.images = vec![logo.clone()];
    new.attach_each = Some(
        invoices
            .join("{{顧客ID}}.pdf")
            .to_string_lossy()
            .into_owned(),
    );
    let summary = create(&ws, new).unwrap();
    assert_eq!(summary.recipients, 3);
    assert_eq!(summary.with_own_file, 2);
    assert_eq!(summary.without_own_file, ["sato@example.co.jp"]);
    assert!(!summary.too_large);

    let (plan, raw) = message_for(&ws, summary.id, "yamada@example.jp");
    let review = shisa::send::mailing::preview(&ws.db, &plan, Some("yamada@example.jp")).unwrap();
    assert_eq!(review.subject, "山田 太郎様へ 請求書のご案内");
    assert_eq!(review.attachments, ["ご利用規約 2026年版.pdf", "C-001.pdf"]);
    assert!(review.html.contains("src=\"data:image/png;base64,"));
    assert!(review.html.contains("株式会社サンプル<br>山田 太郎様</p>"));
    let text = String::from_utf8_lossy(&raw);
    // Japanese file names both ways: RFC 2231 for the disposition, RFC 2047 for old Outlook.
    assert!(text.contains("filename*0*=utf-8''"), "{text}");
    assert!(text.contains("name=\"=?UTF-8?B?"), "{text}");
    assert!(!text.contains("\n.") || !text.contains("\r\n.\r\n"));

    let message = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(message.subject(), Some("山田 太郎様へ 請求書のご案内"));
    let html = message.body_html(0).unwrap();
    assert!(
        html.contains("株式会社サンプル<br>山田 太郎様</p>"),
        "{html}"
    );
    assert!(
        html.contains(&format!("src=\"cid:{}\"", image_cid(&logo))),
        "{html}"
    );
    let body = message.body_text(0).unwrap();
    assert!(body.contains("山田 太郎様"), "{body}");
    assert!(body.contains("C-001"), "{body}");
    let files: Vec<(String, Vec<u8>)> = message
        .attachments()
        .filter(|a| a.content_id().is_none())
        .map(|a| {
            (
                a.attachment_name().unwrap().to_string(),
                a.contents().to_vec(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            (
                "ご利用規約 2026年版.pdf".to_string(),
                b"%PDF-1.7 terms".to_vec()
            ),
            ("C-001.pdf".to_string(), b"%PDF-1.7 yamada".to_vec()),
        ]
    );

    let described = json!({
        "from": header(&message, "From"),
        "to": header(&message, "To"),
        "reply_to": message.reply_to().and_then(|r| r.first()).and_then(|a| a.address()),
        "subject": message.subject(),
        "date": message.date().map(|d| d.to_rfc3339()),
        "message_id_domain": message.message_id().and_then(|id| id.split('@').nth(1)),
        "list_unsubscribe": header(&message, "List-Unsubscribe"),
        "mime": describe(&message, 0),
    });
    golden(
        "compose/invoice.json",
        &(serde_json::to_string_pretty(&described).unwrap() + "\n"),
    );
}

#[test]
fn contact_values_never_become_markup() {
    let ws = workspace();
    // Pasted HTML with everything a mail must not carry.
    let pasted = "<p onmouseover=\"x()\">{{氏名}}様</p><script>alert(3)</script>\
        <a href=\"javascript:alert(4)\">link</a><iframe src=\"https://x.example\"></iframe>\
        <img src=\"https://tracker.example/p.gif\" onerror=\"alert(5)\"><p>{{会社名|}}</p>";
    let preview = campaigns::preview(&ws.db, campaign(pasted), Some("evil@example.net")).unwrap();
    let summary = create(&ws, campaign(pasted)).unwrap();
    let (_, raw) = message_for(&ws, summary.id, "evil@example.net");
    let message = MessageParser::default().parse(&raw).unwrap();
    let html = message.body_html(0).unwrap();
    for bad in [
        "<script",
        "onerror=\"",
        "onmouseover=\"",
        "javascript:",
        "<iframe",
        "<img src=x",
    ] {
        assert!(!html.contains(bad), "{bad} in {html}");
        assert!(!preview.html.contains(bad), "{bad} in the preview");
    }
    assert_eq!(
        preview.html,
        html.replace("\r\n", "\n"),
        "the preview is the mail as sent"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;様"),
        "{html}"
    );
    assert!(
        html.contains("&lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );
    // The text part carries the values as they are: text cannot run anything.
    let text = message.body_text(0).unwrap();
    assert!(text.contains("<img src=x onerror=alert(1)>様"), "{text}");
}

#[test]
fn a_name_that_ends_in_an_honorific_gets_no_second_one() {
    let ws = workspace();
    let summary = create(&ws, campaign("<p>{{氏名}}様</p>")).unwrap();
    let clashes: Vec<(&str, &str)> = summary
        .honorifics
        .iter()
        .map(|c| (c.address.as_str(), c.value.as_str()))
        .collect();
    assert_eq!(clashes, [("sato@example.co.jp", "佐藤様")]);
    let (_, raw) = message_for(&ws, summary.id, "sato@example.co.jp");
    let message = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(message.subject(), Some("佐藤様へ 請求書のご案内"));
    assert!(message.body_html(0).unwrap().contains(">佐藤様</p>"));
}

#[test]
fn iso_2022_jp_lists_what_it_cannot_carry_and_sends_the_rest_in_jis() {
    let ws = workspace();
    let mut new = campaign("<p>{{氏名}}様</p><p>①のとおりです。</p>");
    new.charset = Charset::Iso2022Jp;
    match create(&ws, new.clone()) {
        Err(Error::NotInCharset { characters }) => assert_eq!(characters, ['①']),
        other => panic!("{other:?}"),
    }
    new.html = "<p>{{氏名}}様</p><p>いつもお世話になっております。10時〜12時</p>".into();
    let summary = create(&ws, new).unwrap();
    let (_, raw) = message_for(&ws, summary.id, "yamada@example.jp");
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("=?ISO-2022-JP?B?"), "{text}");
    assert!(text.contains("charset=iso-2022-jp"), "{text}");
    assert!(raw.iter().all(|b| b.is_ascii()), "7-bit throughout");
    let message = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(message.subject(), Some("山田 太郎様へ 請求書のご案内"));
    let html = message.body_html(0).unwrap();
    assert!(html.contains("山田 太郎様"), "{html}");
    assert!(html.contains("10時～12時"), "{html}");
}

#[test]
fn a_file_changed_in_the_store_is_never_sent() {
    let ws = workspace();
    let terms = ws.file("規約.pdf", b"%PDF-1.7 terms");
    let mut new = campaign("<p>{{氏名}}様</p>");
    new.attachments = vec![terms.to_string_lossy().into_owned()];
    let summary = create(&ws, new).unwrap();
    // The user's own copy may change: what is sent is the stored one.
    std::fs::write(&terms, b"%PDF-1.7 changed").unwrap();
    let (plan, raw) = message_for(&ws, summary.id, "yamada@example.jp");
    let message = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        message.attachments().next().unwrap().contents(),
        b"%PDF-1.7 terms"
    );
    // The stored copy itself damaged: the mailing refuses before anything is sent.
    let stored = &summary.attachments[0];
    let path = ws.dir.path().join("files").join(&stored.sha256);
    std::fs::write(path, b"damaged").unwrap();
    let from = shisa::compose::draft::mailbox("office@example.jp").unwrap();
    assert!(matches!(
        Mailing::new(&ws.db, &plan, from),
        Err(Error::FileChanged { .. })
    ));
}

#[test]
fn unknown_fields_and_missing_images_are_refused_before_review() {
    let ws = workspace();
    assert!(matches!(
        create(&ws, campaign("<p>{{部門}}</p>")),
        Err(Error::UnknownMergeField { .. })
    ));
    assert!(matches!(
        create(&ws, campaign("<p><img src=\"cid:nothing@shisa\"></p>")),
        Err(Error::MissingImage(_))
    ));
    let mut pattern = campaign("<p>x</p>");
    pattern.attach_each = Some("/請求書/固定.pdf".into());
    assert!(matches!(create(&ws, pattern), Err(Error::BadPattern(_))));
    assert!(campaigns::get(&ws.db.conn().unwrap(), 1).is_err());
}

#[test]
fn the_preview_shows_any_recipients_mail_before_anything_is_stored() {
    let ws = workspace();
    let logo = ws.db.files().put("logo.png", PNG).unwrap();
    let invoices = ws.dir.path().join("請求書");
    std::fs::create_dir(&invoices).unwrap();
    std::fs::write(invoices.join("C-001.pdf"), b"%PDF-1.7 yamada").unwrap();
    let pattern = invoices
        .join("{{顧客ID}}.pdf")
        .to_string_lossy()
        .into_owned();
    let mut new = campaign(&format!(
        "<p><img src=\"cid:{}\"></p><p>{{{{氏名}}}}様</p>",
        image_cid(&logo)
    ));
    new.images = vec![logo];
    new.attach_each = Some(pattern.clone());

    let sato = campaigns::preview(&ws.db, new.clone(), Some("sato@example.co.jp")).unwrap();
    assert_eq!(
        sato.recipients,
        [
            "evil@example.net",
            "sato@example.co.jp",
            "yamada@example.jp"
        ]
    );
    assert_eq!(sato.subject, "佐藤様へ 請求書のご案内");
    assert!(
        sato.html.contains("src=\"data:image/png;base64,"),
        "{}",
        sato.html
    );
    assert!(!sato.html.contains("cid:"), "{}", sato.html);
    assert!(sato.attachments.is_empty());
    assert_eq!(
        sato.honorifics.len(),
        2,
        "subject and body: {:?}",
        sato.honorifics
    );
    let yamada = campaigns::preview(&ws.db, new.clone(), Some("yamada@example.jp")).unwrap();
    assert_eq!(yamada.attachments, ["C-001.pdf"]);
    let first = campaigns::preview(&ws.db, new.clone(), None).unwrap();
    assert_eq!(first.address, "evil@example.net");
    assert!(matches!(
        campaigns::preview(&ws.db, new, Some("nobody@example.jp")),
        Err(Error::NotARecipient(_))
    ));

    let files: Vec<(String, Option<String>)> = campaigns::own_files(&ws.db, "顧客", &pattern)
        .unwrap()
        .into_iter()
        .map(|f| (f.address, f.file))
        .collect();
    assert_eq!(
        files,
        [
            ("evil@example.net".to_string(), None),
            ("sato@example.co.jp".to_string(), None),
            (
                "yamada@example.jp".to_string(),
                Some("C-001.pdf".to_string())
            ),
        ]
    );
    assert!(
        campaigns::get(&ws.db.conn().unwrap(), 1).is_err(),
        "nothing stored"
    );
}

#[tokio::test]
async fn a_test_send_goes_only_to_the_confirmed_addresses_with_a_marked_subject() {
    use shisa::review::Confirmation;
    use shisa::send::{Outbox, test_send};
    let ws = workspace();
    let new = campaign("<p>{{氏名}}様</p><p>本文</p>");
    let own = ["me@example.jp".to_string(), "boss@example.jp".to_string()];
    let mark = test_send::mark("ja");
    let test =
        test_send::prepare(&ws.db, new.clone(), &own, Some("yamada@example.jp"), mark).unwrap();
    assert_eq!(test.to, own);
    assert_eq!(test.subject, "[テスト] 山田 太郎様へ 請求書のご案内");
    assert_eq!(test.sample, "yamada@example.jp");

    let mailbox = ws.dir.path().join("mailbox");
    let outbox = Outbox::practice(&mailbox).unwrap();
    let send = |new: NewCampaign, digest: String| {
        let (db, own, outbox) = (&ws.db, &own, &outbox);
        async move {
            let confirmation = Confirmation::digest(digest);
            test_send::send(
                db,
                new,
                own,
                Some("yamada@example.jp"),
                mark,
                &confirmation,
                outbox,
            )
            .await
        }
    };
    // A confirmation of something else sends nothing: another digest, or the mail changed.
    assert!(matches!(
        send(new.clone(), "0".repeat(64)).await,
        Err(Error::WrongDigest)
    ));
    let mut changed = new.clone();
    changed.subject = "変更後".into();
    assert!(matches!(
        send(changed, test.digest.clone()).await,
        Err(Error::WrongDigest)
    ));
    assert!(!mailbox.exists() || std::fs::read_dir(&mailbox).unwrap().count() == 0);

    let results = send(new, test.digest.clone()).await.unwrap();
    assert!(results.iter().all(|r| r.sent), "{results:?}");
    let mut to: Vec<String> = std::fs::read_dir(&mailbox)
        .unwrap()
        .map(|f| {
            let raw = std::fs::read(f.unwrap().path()).unwrap();
            let message = MessageParser::default().parse(&raw).unwrap();
            assert_eq!(
                message.subject(),
                Some("[テスト] 山田 太郎様へ 請求書のご案内")
            );
            let to = message.to().unwrap().first().unwrap();
            to.address().unwrap().to_string()
        })
        .collect();
    to.sort();
    assert_eq!(to, ["boss@example.jp", "me@example.jp"]);
    assert!(shisa::history::campaigns(&ws.db).unwrap().is_empty());
}

#[test]
fn a_message_over_the_preferred_size_is_pointed_out() {
    use shisa::store::preferences::{self, Preferences};
    let ws = workspace();
    let big = ws.file("カタログ.pdf", vec![b'x'; 2 * 1024 * 1024]);
    let mut new = campaign("<p>{{氏名}}様</p>");
    new.attachments = vec![big.to_string_lossy().into_owned()];
    let summary = create(&ws, new.clone()).unwrap();
    assert!(summary.largest_message > 2 * 1024 * 1024);
    assert!(!summary.too_large, "under the default 10 MB");
    preferences::save(
        &ws.db,
        &Preferences {
            large_message_mb: 1,
            ..Preferences::default()
        },
    )
    .unwrap();
    assert!(create(&ws, new).unwrap().too_large);
}
