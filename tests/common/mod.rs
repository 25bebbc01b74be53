//! Shared by the integration tests: a fresh database, contact files, and the test SMTP peer.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use shisa::Db;

pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub db: Db,
}

impl Workspace {
    pub fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("shisa.sqlite3")).unwrap();
        Workspace { dir, db }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("shisa.sqlite3")
    }

    /// Writes a file into the workspace and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// One mail as the peer received it.
#[derive(Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub user: Option<String>,
    pub tls: bool,
    pub raw: Vec<u8>,
}

/// The test SMTP server (tests/smtp/server.mjs) on a free loopback port, with STARTTLS and
/// AUTH. It stops when this value is dropped: its stdin closes and it exits.
pub struct SmtpPeer {
    child: Child,
    _stdin: ChildStdin,
    out: tempfile::TempDir,
    pub port: u16,
    pub cert: PathBuf,
}

pub const USER: &str = "office@example.jp";
pub const PASSWORD: &str = "correct horse";

impl SmtpPeer {
    pub fn start() -> SmtpPeer {
        let out = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .arg("--dir")
            .arg(out.path())
            .args(["--user", USER, "--pass", PASSWORD])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs the test SMTP server (npm install first)");
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ready: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("the SMTP peer did not start: {line:?}"));
        SmtpPeer {
            child,
            _stdin: stdin,
            out,
            port: ready["port"].as_u64().unwrap() as u16,
            cert: PathBuf::from(ready["cert"].as_str().unwrap()),
        }
    }

    /// Every mail received so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        let mut envelopes: Vec<PathBuf> = std::fs::read_dir(self.out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        envelopes.sort();
        envelopes
            .into_iter()
            .map(|json| {
                let envelope: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
                Received {
                    from: envelope["from"].as_str().unwrap().to_string(),
                    to: envelope["to"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap().to_string())
                        .collect(),
                    user: envelope["user"].as_str().map(str::to_string),
                    tls: envelope["tls"].as_bool().unwrap(),
                    raw: std::fs::read(json.with_extension("eml")).unwrap(),
                }
            })
            .collect()
    }
}

impl Drop for SmtpPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
