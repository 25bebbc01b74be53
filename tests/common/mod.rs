//! Shared by the integration tests: a fresh database, contact files, and the test SMTP peer.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};

use shisa::Db;

pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub db: Db,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace::with_clock(std::sync::Arc::new(shisa::clock::SystemClock))
    }

    /// A workspace whose database goes by `clock` (e.g. a `ScaledClock` on which a minute of
    /// send limits or back-off passes in a second).
    pub fn with_clock(clock: std::sync::Arc<dyn shisa::clock::Clock>) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_with_clock(&dir.path().join("shisa.sqlite3"), clock).unwrap();
        Workspace { dir, db }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("shisa.sqlite3")
    }

    /// Imports a contact file into a list with every choice left to detection.
    pub fn import(&self, path: &Path, list: &str) -> shisa::import::ImportReport {
        let options = shisa::import::ImportOptions {
            list: Some(list.to_string()),
            ..Default::default()
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        shisa::import::import_file(&self.db, path, &options, |_| {}, &cancel).unwrap()
    }

    /// Writes a file into the workspace and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Runs the `shisa` CLI on this workspace's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.cli_command(args).output().unwrap()
    }

    /// The `shisa` CLI on this workspace's database, to spawn.
    pub fn cli_command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_shisa"));
        command
            .arg("--db")
            .arg(self.db_path())
            .args(args)
            .env("SHISA_SMTP_PASSWORD", PASSWORD);
        command
    }
}

/// One mail as the peer received it.
#[derive(Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub user: Option<String>,
    pub tls: bool,
    /// When the peer had the whole message, in ms since the Unix epoch.
    pub received_at: u64,
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
        SmtpPeer::spawn(&[])
    }

    /// Like `start`, with scripted faults: a JSON array of rules as `--faults` of
    /// tests/smtp/server.mjs describes them (4xx/5xx replies, disconnects, slow replies).
    pub fn start_with(faults: serde_json::Value) -> SmtpPeer {
        SmtpPeer::spawn(&["--faults", &faults.to_string()])
    }

    /// Like `start_with`, from a server that does not offer PIPELINING.
    pub fn start_without_pipelining(faults: serde_json::Value) -> SmtpPeer {
        SmtpPeer::spawn(&["--faults", &faults.to_string(), "--no-pipelining"])
    }

    fn spawn(extra_args: &[&str]) -> SmtpPeer {
        let out = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .arg("--dir")
            .arg(out.path())
            .args(["--user", USER, "--pass", PASSWORD])
            .args(extra_args)
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

    /// The account that logs in to this peer over STARTTLS, trusting its certificate.
    pub fn account(&self) -> shisa::send::SmtpAccount {
        shisa::send::SmtpAccount {
            host: "127.0.0.1".into(),
            port: self.port,
            security: shisa::send::Security::Starttls,
            user: Some(USER.into()),
            password: Some(PASSWORD.into()),
            from: None,
            extra_roots: vec![std::fs::read(&self.cert).unwrap()],
            timeout: shisa::send::account::DEFAULT_TIMEOUT,
        }
    }

    /// Every mail received so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        // Only NNNNNN.json are envelopes; connections.json is a record of its own.
        let is_envelope = |p: &Path| {
            p.extension().is_some_and(|e| e == "json")
                && p.file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()))
        };
        let mut envelopes: Vec<PathBuf> = std::fs::read_dir(self.out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| is_envelope(p))
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
                    received_at: envelope["receivedAt"].as_u64().unwrap(),
                    raw: std::fs::read(json.with_extension("eml")).unwrap(),
                }
            })
            .collect()
    }

    /// One record per DATA and per scripted fault, in order: `at` (ms), `session`, `to`,
    /// `stage` (connect/mail/rcpt/data), `result` (stored/refused/disconnected/delayed),
    /// `code` (the reply, or null when none was sent).
    pub fn attempts(&self) -> Vec<serde_json::Value> {
        match std::fs::read_to_string(self.out.path().join("attempts.jsonl")) {
            Ok(text) => text
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect(),
            // The peer writes the file with its first record.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => panic!("attempts.jsonl: {e}"),
        }
    }

    /// The most connections the peer had open at once so far.
    pub fn max_open_connections(&self) -> u64 {
        match std::fs::read(self.out.path().join("connections.json")) {
            Ok(bytes) => {
                let counts: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                counts["maxOpen"].as_u64().unwrap()
            }
            // The peer writes the file when the first connection comes in.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => panic!("connections.json: {e}"),
        }
    }
}

impl Drop for SmtpPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Compares `actual` with the golden file `tests/fixtures/<name>`. On a mismatch it writes
/// `<name>.actual` next to it and fails naming that path; with `SHISA_BLESS=1` it writes the
/// golden file instead (for a deliberate change, reviewed in the diff).
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let actual_path = path.with_extension(format!(
        "{}.actual",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    if std::env::var_os("SHISA_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        let _ = std::fs::remove_file(&actual_path);
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        std::fs::write(&actual_path, actual).unwrap();
        panic!(
            "{} differs from the golden file; see {}",
            name,
            actual_path.display()
        );
    }
    let _ = std::fs::remove_file(&actual_path);
}
