//! The `shisa` CLI end to end: import → campaign → review → send → history, against the test
//! SMTP peer, and its refusals (non-zero exit, one-line reason, nothing sent).

mod common;

use std::process::{Command, Output};

use common::{PASSWORD, SmtpPeer, USER, Workspace};
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
    assert_eq!(
        String::from_utf8(plain.stdout).unwrap().trim(),
        (id + 1).to_string()
    );

    let plan = json(&ws, &["review", &id.to_string()]);
    assert_eq!(
        (plan["id"].as_i64(), plan["count"].as_u64()),
        (Some(id), Some(2))
    );
    let digest = plan["digest"].as_str().unwrap();

    let url = format!(
        "smtp://{}@127.0.0.1:{}",
        USER.replace('@', "%40"),
        peer.port
    );
    let cert = peer.cert.to_str().unwrap();
    let id_arg = id.to_string();
    let sent = json(
        &ws,
        &[
            "send",
            &id_arg,
            "--confirm",
            digest,
            "--smtp",
            &url,
            "--tls-ca",
            cert,
        ],
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
        &[
            "send",
            &id_arg,
            "--confirm",
            digest,
            "--smtp",
            &url,
            "--tls-ca",
            cert,
        ],
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
    let bad = ws.file("bad.html", "<p>{{会社名}}</p>");
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
    assert!(unknown.contains("会社名"), "{unknown}");
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
