//! Where messages go: an SMTP server, or the practice mailbox on this computer. An `Outbox`
//! says where; a `Courier` is one open way there (an SMTP session, or the mailbox folder) that
//! takes finished messages one at a time and says what became of each.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lettre::address::Envelope;
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncTransport, Tokio1Executor};

use super::account::SmtpAccount;
use super::connection::{self, ConnectError, Session, StepReport};
use super::ledger::DeliveryState;
use crate::error::{Error, Result};

/// The sender used in practice mode when the campaign names none.
const PRACTICE_FROM: &str = "practice@shisa.invalid";

/// Reply codes that mean the account, not the recipient, is the problem (authentication).
const ACCOUNT_CODES: &[&str] = &["530", "534", "535", "538"];

/// Replies by which a server says "not now" to the whole session: try again later, on a new
/// connection.
const SLOW_DOWN_CODES: &[&str] = &["421", "451", "452"];

/// The practice mailbox inside a data folder: where practice mode writes each mail as an .eml.
pub fn practice_mailbox(data_dir: &Path) -> PathBuf {
    data_dir.join("practice-mailbox")
}

#[derive(Debug, Clone)]
pub enum Outbox {
    Smtp(SmtpAccount),
    Practice(PathBuf),
}

/// What happened to one message, and what the run should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub state: DeliveryState,
    pub reply: String,
    pub then: Then,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Go on with the next recipient on the same connection.
    Next,
    /// This connection is done for; open a new one after a pause.
    Reconnect,
    /// The account or the provider's quota is the problem: every next recipient would get the
    /// same, so the campaign pauses until the user looks.
    Pause,
}

impl Outbox {
    pub fn smtp(account: &SmtpAccount) -> Result<Outbox> {
        account.check()?;
        Ok(Outbox::Smtp(account.clone()))
    }

    pub fn practice(dir: &Path) -> Result<Outbox> {
        std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        Ok(Outbox::Practice(dir.to_path_buf()))
    }

    pub fn is_practice(&self) -> bool {
        matches!(self, Outbox::Practice(_))
    }

    /// The sender when the campaign names none: the account's own, else its user if that is
    /// an address.
    pub fn default_from(&self) -> Option<Mailbox> {
        match self {
            Outbox::Smtp(account) => account
                .from
                .as_deref()
                .and_then(|f| crate::compose::draft::mailbox(f).ok())
                .or_else(|| {
                    account
                        .user
                        .as_deref()
                        .and_then(|u| Mailbox::from_str(u).ok())
                }),
            Outbox::Practice(_) => Mailbox::from_str(PRACTICE_FROM).ok(),
        }
    }

    /// Where the mail goes, as one line: security, login and server; none for the practice
    /// mailbox.
    pub fn server(&self) -> Option<String> {
        match self {
            Outbox::Smtp(a) => Some(format!(
                "{}://{}{}:{}",
                a.security.scheme(),
                a.user
                    .as_deref()
                    .map(|u| format!("{u}@"))
                    .unwrap_or_default(),
                a.host,
                a.port
            )),
            Outbox::Practice(_) => None,
        }
    }

    /// The sender of a plan's messages: the campaign's own From, else the account's address.
    pub fn sender(&self, from: Option<&str>) -> Result<Mailbox> {
        match from {
            Some(from) => crate::compose::draft::mailbox(from),
            None => self.default_from().ok_or(Error::NoFromAddress),
        }
    }

    /// Opens the way there: an SMTP session (TLS and login included), or the mailbox folder.
    pub async fn open(
        &self,
        report: impl FnMut(StepReport),
    ) -> std::result::Result<Courier, ConnectError> {
        match self {
            Outbox::Smtp(account) => Ok(Courier::Smtp(Box::new(
                connection::open(account, report).await?,
            ))),
            Outbox::Practice(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| ConnectError {
                    step: connection::ConnectStep::Tcp,
                    message: format!("{}: {e}", dir.display()),
                    transient: false,
                })?;
                Ok(Courier::Practice {
                    transport: AsyncFileTransport::new(dir),
                    dir: dir.clone(),
                })
            }
        }
    }

    /// Connects (TLS and login included) before anything is queued, so a wrong server or
    /// password is reported without touching a single recipient.
    pub async fn check(&self) -> Result<()> {
        let courier = self
            .open(|_| {})
            .await
            .map_err(|e| Error::Smtp(e.to_string()))?;
        courier.close().await;
        Ok(())
    }
}

/// One open way to the outbox.
pub enum Courier {
    // Boxed: a session holds its buffers, the practice mailbox only a path.
    Smtp(Box<Session>),
    Practice {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
    },
}

impl Courier {
    /// Delivers one message to its one recipient.
    pub async fn deliver(&mut self, envelope: &Envelope, message: &[u8]) -> Outcome {
        match self {
            Courier::Smtp(session) => match (envelope.from(), envelope.to()) {
                (Some(from), [to]) => session.deliver(from, to, message).await,
                _ => outcome_of(
                    ReplyKind::Permanent,
                    None,
                    "a message must have one sender and exactly one recipient",
                ),
            },
            Courier::Practice { transport, dir } => {
                match transport.send_raw(envelope, message).await {
                    Ok(id) => Outcome {
                        state: DeliveryState::Sent,
                        reply: dir.join(format!("{id}.eml")).display().to_string(),
                        then: Then::Next,
                    },
                    Err(e) => Outcome {
                        state: DeliveryState::Deferred,
                        reply: e.to_string(),
                        then: Then::Pause,
                    },
                }
            }
        }
    }

    pub fn usable(&self) -> bool {
        match self {
            Courier::Smtp(session) => session.usable(),
            Courier::Practice { .. } => true,
        }
    }

    pub async fn close(self) {
        if let Courier::Smtp(session) = self {
            session.close().await;
        }
    }
}

/// What a delivery came to, as far as the reply (or its absence) tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplyKind {
    /// The final 2xx reply.
    Accepted,
    /// A 5xx reply.
    Permanent,
    /// A 4xx reply.
    Transient,
    Tls,
    /// No reply, before the DATA command: the server cannot have taken the mail.
    LostBeforeData,
    /// No reply after the DATA command: the server may or may not have taken the mail.
    Lost,
}

/// A 5xx reply is final for the recipient; a 4xx reply, and a refusal for quota or policy
/// (421, 451, 452, 550 5.4.5, 554 5.7.x about a rate), may be retried later; a connection lost
/// before DATA sent nothing; lost or timed out after it, it is unknown whether the server took
/// the mail — which must never be guessed. Replies about the account or a quota pause the
/// campaign: the next recipients would get the same.
pub(crate) fn outcome_of(kind: ReplyKind, code: Option<&str>, reply: &str) -> Outcome {
    let code = code.unwrap_or("");
    let status = enhanced_status(reply);
    let lower = reply.to_lowercase();
    let quota = status.as_deref() == Some("5.4.5")
        || (status.as_deref().is_some_and(|s| s.starts_with("5.7."))
            && ["rate", "limit", "quota", "too many"]
                .iter()
                .any(|w| lower.contains(w)));
    let account = ACCOUNT_CODES.contains(&code);
    let slow_down = SLOW_DOWN_CODES.contains(&code);
    let (state, then) = match kind {
        _ if quota || account => (DeliveryState::Deferred, Then::Pause),
        ReplyKind::Accepted => (DeliveryState::Sent, Then::Next),
        ReplyKind::Transient if slow_down => (DeliveryState::Deferred, Then::Reconnect),
        ReplyKind::Transient => (DeliveryState::Deferred, Then::Next),
        ReplyKind::Permanent => (DeliveryState::Failed, Then::Next),
        ReplyKind::Tls => (DeliveryState::Deferred, Then::Pause),
        ReplyKind::LostBeforeData => (DeliveryState::Deferred, Then::Reconnect),
        ReplyKind::Lost => (DeliveryState::Unknown, Then::Reconnect),
    };
    Outcome {
        state,
        then,
        reply: reply.to_string(),
    }
}

/// The enhanced status code (RFC 3463) a reply carries, e.g. `5.1.1`.
pub fn enhanced_status(reply: &str) -> Option<String> {
    reply
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == ';')
        .find(|word| {
            let parts: Vec<&str> = word.split('.').collect();
            parts.len() == 3
                && ["2", "4", "5"].contains(&parts[0])
                && parts[1..]
                    .iter()
                    .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_replies_into_states() {
        use Then::*;
        let cases = [
            (
                ReplyKind::Permanent,
                "550",
                "550 5.1.1 <a@x.jp>: user unknown",
                DeliveryState::Failed,
                Next,
            ),
            (
                ReplyKind::Transient,
                "450",
                "450 4.2.1 mailbox busy",
                DeliveryState::Deferred,
                Next,
            ),
            (
                ReplyKind::Transient,
                "421",
                "421 4.7.0 try again later",
                DeliveryState::Deferred,
                Reconnect,
            ),
            (
                ReplyKind::Transient,
                "452",
                "452 4.5.3 too many recipients",
                DeliveryState::Deferred,
                Reconnect,
            ),
            (
                ReplyKind::Permanent,
                "550",
                "550 5.4.5 Daily sending quota exceeded",
                DeliveryState::Deferred,
                Pause,
            ),
            (
                ReplyKind::Permanent,
                "554",
                "554 5.7.1 Message rejected: sending rate exceeded",
                DeliveryState::Deferred,
                Pause,
            ),
            (
                ReplyKind::Permanent,
                "554",
                "554 5.7.1 Message rejected as spam",
                DeliveryState::Failed,
                Next,
            ),
            (
                ReplyKind::Permanent,
                "535",
                "535 5.7.8 authentication failed",
                DeliveryState::Deferred,
                Pause,
            ),
            (
                ReplyKind::LostBeforeData,
                "",
                "connection reset by peer",
                DeliveryState::Deferred,
                Reconnect,
            ),
            (
                ReplyKind::Lost,
                "",
                "connection reset by peer",
                DeliveryState::Unknown,
                Reconnect,
            ),
            (
                ReplyKind::Tls,
                "",
                "tls handshake failed",
                DeliveryState::Deferred,
                Pause,
            ),
        ];
        for (kind, code, reply, state, then) in cases {
            let outcome = outcome_of(kind, Some(code).filter(|c| !c.is_empty()), reply);
            assert_eq!((outcome.state, outcome.then), (state, then), "{reply}");
        }
    }

    #[test]
    fn finds_the_enhanced_status_code() {
        assert_eq!(
            enhanced_status("550 5.1.1 <a@x.jp>: user unknown").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(
            enhanced_status("250 2.0.0 Ok: queued as 12345").as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            enhanced_status("permanent error (550): 5.7.1 denied").as_deref(),
            Some("5.7.1")
        );
        assert_eq!(enhanced_status("250 OK 1.2.3.4"), None);
        assert_eq!(enhanced_status("421 try later"), None);
    }
}
