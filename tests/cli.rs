//! The `shisa` CLI end to end: import → campaign → review → send → history, against the test
//! SMTP peer, and its refusals (non-zero exit, one-line reason, nothing sent).

mod common;

use std::process::{Command, Output};

use common::{PASSWORD, SmtpPeer, USER, Workspace};
use mail_parser::MimeHeaders;
use serde_json::Value;

fn shisa(ws: &Workspace, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shisa"))
        .arg("--db")
        .arg(ws.db_path())
        .args(args)
        .env("SHISA_SMTP_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn json(ws: &Workspace, args: &[&str]) -> Value {
    let out = shisa(ws, &[args, &["--json"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn refused(ws: &Workspace, args: &[&str]) -> String {
    let out = shisa(ws, args);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one-line reason: {stderr}");
    stderr
}

#[test]
fn the_whole_path_over_starttls() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let csv = ws.file(
        "c.csv",
        "email,name\na@example.jp,青木\nb@example.jp,馬場\nnot-mail,x\n",
    );
    let html = ws.file("body.html", "<p>{{name}} 様</p>");

    let report = json(&ws, &["import", csv.to_str().unwrap(), "--list", "会員"]);
    assert_eq!(
        (report["rows"].as_u64(), report["imported"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(report["invalid"][0]["row"], 4);

    let id = json(
        &ws,
        &[
            "campaign",
            "new",
            "--list",
            "会員",
            "--subject",
            "お知らせ",
            "--html",
            html.to_str().unwrap(),
            "--from",
            USER,
        ],
    )["id"]
        .as_i64()
        .unwrap();
    let plain = shisa(
        &ws,
        &[
            "campaign",
            "new",
            "--list",
            "会員",
            "--subject",
            "s",
            "--html",
            html.to_str().unwrap(),
        ],
    );
    let summary = String::from_utf8(plain.stdout).unwrap();
    assert!(
        summary.starts_with(&format!("Campaign {}: 2 recipients", id + 1)),
        "{summary}"
    );

    let url = format!(
        "smtp://{}@127.0.0.1:{}",
        USER.replace('@', "%40"),
        peer.port
    );
    let cert = peer.cert.to_str().unwrap();
    let id_arg = id.to_string();
    let via = ["--smtp", &url, "--tls-ca", cert];

    // A plan reviewed for the practice mailbox does not go out through a server.
    let practice = json(&ws, &["review", &id_arg]);
    assert_eq!(practice["route"]["server"], Value::Null);
    let digest = practice["digest"].as_str().unwrap();
    let stderr = refused(
        &ws,
        &[&["send", &id_arg, "--confirm", digest][..], &via].concat(),
    );
    assert!(stderr.contains("review it again"), "{stderr}");

    let plan = json(&ws, &[&["review", &id_arg][..], &via].concat());
    assert_eq!(
        (plan["id"].as_i64(), plan["count"].as_u64()),
        (Some(id), Some(2))
    );
    assert_eq!(
        plan["route"]["server"],
        format!("smtp://{USER}@127.0.0.1:{}", peer.port)
    );
    let digest = plan["digest"].as_str().unwrap();
    let sent = json(
        &ws,
        &[&["send", &id_arg, "--confirm", digest][..], &via].concat(),
    );
    assert_eq!(sent["sent"], 2);
    assert_eq!(peer.received().len(), 2);

    let history = json(&ws, &["history", &id_arg]);
    let states: Vec<(&str, &str)> = history["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["address"].as_str().unwrap(), r["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("a@example.jp", "sent"), ("b@example.jp", "sent")]);
    assert_eq!(json(&ws, &["history"])[1]["id"], id);

    // Sending the same plan again is refused.
    refused(
        &ws,
        &[&["send", &id_arg, "--confirm", digest][..], &via].concat(),
    );
    assert_eq!(peer.received().len(), 2);
}

#[test]
fn refusals_exit_non_zero_with_one_line_and_send_nothing() {
    let ws = Workspace::new();
    let peer = SmtpPeer::start();
    let csv = ws.file("c.csv", "email\na@example.jp\n");
    let html = ws.file("body.html", "<p>{{name}}</p>");
    json(&ws, &["import", csv.to_str().unwrap(), "--list", "L"]);
    let id = json(
        &ws,
        &[
            "campaign",
            "new",
            "--list",
            "L",
            "--subject",
            "s",
            "--html",
            html.to_str().unwrap(),
            "--from",
            USER,
        ],
    )["id"]
        .to_string();
    let url = format!("smtp://u@127.0.0.1:{}", peer.port);

    let reason = refused(&ws, &["send", &id, "--confirm", "abc", "--smtp", &url]);
    assert!(reason.contains("review"), "{reason}");
    let digest = json(&ws, &["review", &id])["digest"]
        .as_str()
        .unwrap()
        .to_string();
    refused(
        &ws,
        &["send", &id, "--confirm", &"f".repeat(64), "--smtp", &url],
    );
    let remote = refused(
        &ws,
        &[
            "send",
            &id,
            "--confirm",
            &digest,
            "--smtp",
            "smtp+insecure://mail.example.jp:25",
        ],
    );
    assert!(remote.contains("TLS"), "{remote}");
    let bad = ws.file("bad.html", "<p>{{部門}}</p>");
    let unknown = refused(
        &ws,
        &[
            "campaign",
            "new",
            "--list",
            "L",
            "--subject",
            "s",
            "--html",
            bad.to_str().unwrap(),
        ],
    );
    assert!(
        unknown.contains("部門") && unknown.contains("会社名"),
        "{unknown}"
    );
    refused(
        &ws,
        &[
            "import",
            ws.file("empty.csv", "").to_str().unwrap(),
            "--list",
            "L",
        ],
    );
    assert!(peer.received().is_empty());
    assert_eq!(
        json(&ws, &["history", &id])["recipients"],
        Value::Array(vec![])
    );
}

#[test]
fn a_campaign_from_a_starter_template_and_the_preview_of_one_recipients_mail() {
    let ws = Workspace::new();
    let csv = ws.file(
        "c.csv",
        "メールアドレス,氏名,会社名,顧客ID\na@example.jp,青木,青木商店,C-1\nb@example.jp,馬場,,C-2\n",
    );
    json(&ws, &["import", csv.to_str().unwrap(), "--list", "取引先"]);
    let templates = json(&ws, &["template", "list"]);
    let starter = templates
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "請求書送付のご連絡")
        .unwrap();
    assert_eq!(starter["starter"], true);

    let invoices = ws.dir.path().join("請求書");
    std::fs::create_dir(&invoices).unwrap();
    std::fs::write(invoices.join("C-1.pdf"), b"%PDF-1.7 aoki").unwrap();
    let pattern = invoices.join("{{顧客ID}}.pdf");
    let summary = json(
        &ws,
        &[
            "campaign",
            "new",
            "--list",
            "取引先",
            "--template",
            "請求書送付のご連絡",
            "--attach-each",
            pattern.to_str().unwrap(),
            "--from",
            USER,
        ],
    );
    assert_eq!(summary["with_own_file"], 1);
    assert_eq!(summary["without_own_file"][0], "b@example.jp");

    let eml = ws.dir.path().join("a.eml");
    let id = summary["id"].to_string();
    let out = shisa(
        &ws,
        &[
            "preview",
            &id,
            "--to",
            "a@example.jp",
            "--eml",
            eml.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let raw = std::fs::read(&eml).unwrap();
    let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(message.subject(), Some("請求書送付のご連絡（青木商店様）"));
    assert!(message.body_html(0).unwrap().contains("青木様"));
    let attachment = message.attachments().next().unwrap();
    assert_eq!(attachment.attachment_name(), Some("C-1.pdf"));
    assert_eq!(attachment.contents(), b"%PDF-1.7 aoki");
    let stranger = refused(&ws, &["preview", &id, "--to", "z@example.jp"]);
    assert!(stranger.contains("not a recipient"), "{stranger}");

    let body = ws.file("mine.html", "<p>{{氏名}}様</p>");
    json(
        &ws,
        &[
            "template",
            "save",
            "月例",
            "--subject",
            "月例のご報告",
            "--html",
            body.to_str().unwrap(),
        ],
    );
    assert_eq!(
        json(&ws, &["template", "show", "月例"])["subject"],
        "月例のご報告"
    );
    json(&ws, &["template", "delete", "月例"]);
    let gone = refused(&ws, &["template", "show", "月例"]);
    assert!(gone.contains("no template"), "{gone}");
}
