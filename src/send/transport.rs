//! Where messages go: an SMTP server, or the practice mailbox on this computer. Both take a
//! finished message and say what happened to it.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::account::{Security, SmtpAccount};
use super::ledger::DeliveryState;
use crate::error::{Error, Result};

/// The sender used in practice mode when the campaign names none.
const PRACTICE_FROM: &str = "practice@shisa.invalid";

/// Reply codes that mean the account, not the recipient, is the problem (authentication).
const ACCOUNT_CODES: &[&str] = &["530", "534", "535", "538"];

/// The practice mailbox inside a data folder: where practice mode writes each mail as an .eml.
pub fn practice_mailbox(data_dir: &Path) -> PathBuf {
    data_dir.join("practice-mailbox")
}

pub enum Outbox {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        user: Option<String>,
    },
    Practice {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
    },
}

/// What happened to one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub state: DeliveryState,
    pub reply: String,
    /// The failure concerns the connection or the account, so the next recipients would fail
    /// the same way: the run stops and leaves them queued.
    pub stops_run: bool,
}

impl Outbox {
    pub fn smtp(account: &SmtpAccount) -> Result<Outbox> {
        account.check()?;
        let tls_error = |e: lettre::transport::smtp::Error| Error::Smtp(e.to_string());
        let tls = || -> Result<TlsParameters> {
            let mut params = TlsParameters::builder(account.host.clone());
            for pem in &account.extra_roots {
                params =
                    params.add_root_certificate(Certificate::from_pem(pem).map_err(tls_error)?);
            }
            params.build().map_err(tls_error)
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&account.host)
            .port(account.port)
            .timeout(Some(Duration::from_secs(60)))
            .tls(match account.security {
                Security::Starttls => Tls::Required(tls()?),
                Security::Tls => Tls::Wrapper(tls()?),
                Security::Insecure => Tls::None,
            });
        if let Some(user) = &account.user {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                account.password.clone().unwrap_or_default(),
            ));
        }
        Ok(Outbox::Smtp {
            transport: builder.build(),
            user: account.user.clone(),
        })
    }

    pub fn practice(dir: &Path) -> Result<Outbox> {
        std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        Ok(Outbox::Practice {
            transport: AsyncFileTransport::new(dir),
            dir: dir.to_path_buf(),
        })
    }

    pub fn is_practice(&self) -> bool {
        matches!(self, Outbox::Practice { .. })
    }

    /// The sender when the campaign names none: the account's user if it is an address.
    pub fn default_from(&self) -> Option<Mailbox> {
        match self {
            Outbox::Smtp { user, .. } => user.as_deref().and_then(|u| Mailbox::from_str(u).ok()),
            Outbox::Practice { .. } => Mailbox::from_str(PRACTICE_FROM).ok(),
        }
    }

    /// The sender of a plan's messages: the campaign's own From, else the account's address.
    pub fn sender(&self, from: Option<&str>) -> Result<Mailbox> {
        match from {
            Some(from) => crate::compose::draft::mailbox(from),
            None => self.default_from().ok_or(Error::NoFromAddress),
        }
    }

    /// Connects (TLS and login included) before anything is queued, so a wrong server or
    /// password is reported without touching a single recipient.
    pub async fn check(&self) -> Result<()> {
        match self {
            Outbox::Smtp { transport, .. } => match transport.test_connection().await {
                Ok(true) => Ok(()),
                Ok(false) => Err(Error::Smtp("the server did not answer".into())),
                Err(e) => Err(Error::Smtp(e.to_string())),
            },
            Outbox::Practice { dir, .. } => std::fs::create_dir_all(dir).map_err(Error::io(dir)),
        }
    }

    pub async fn deliver(&self, message: &Message) -> Outcome {
        match self {
            Outbox::Smtp { transport, .. } => match transport.send(message.clone()).await {
                Ok(response) => Outcome {
                    state: DeliveryState::Sent,
                    reply: format!(
                        "{} {}",
                        response.code(),
                        response.message().collect::<Vec<_>>().join(" ")
                    ),
                    stops_run: false,
                },
                Err(e) => classify(&e),
            },
            Outbox::Practice { transport, dir } => match transport.send(message.clone()).await {
                Ok(id) => Outcome {
                    state: DeliveryState::Sent,
                    reply: dir.join(format!("{id}.eml")).display().to_string(),
                    stops_run: false,
                },
                Err(e) => Outcome {
                    state: DeliveryState::Failed,
                    reply: e.to_string(),
                    stops_run: true,
                },
            },
        }
    }
}

/// Sorts an SMTP error by what it says about the recipient; see [`outcome_of`].
fn classify(e: &lettre::transport::smtp::Error) -> Outcome {
    let kind = if e.is_permanent() {
        ReplyKind::Permanent
    } else if e.is_transient() {
        ReplyKind::Transient
    } else if e.is_tls() {
        ReplyKind::Tls
    } else {
        ReplyKind::Lost
    };
    let code = e.status().map(|c| c.to_string());
    outcome_of(kind, code.as_deref(), &e.to_string())
}

/// What went wrong, as lettre tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReplyKind {
    /// A 5xx reply.
    Permanent,
    /// A 4xx reply.
    Transient,
    Tls,
    /// No reply: the connection was lost or timed out.
    Lost,
}

/// A 5xx reply is final for the recipient; a 4xx reply, and a refusal for quota or policy
/// (550 5.4.5, 554 5.7.x about a rate), may be retried later; a lost connection or timeout
/// leaves it unknown whether the server took the mail — which must never be guessed. Replies
/// about the account, the connection or a quota stop the run: the next recipients would get
/// the same.
fn outcome_of(kind: ReplyKind, code: Option<&str>, reply: &str) -> Outcome {
    let code = code.unwrap_or("");
    let status = enhanced_status(reply);
    let lower = reply.to_lowercase();
    let quota = ["421", "451", "452"].contains(&code)
        || status.as_deref() == Some("5.4.5")
        || (status.as_deref().is_some_and(|s| s.starts_with("5.7."))
            && ["rate", "limit", "quota", "too many"]
                .iter()
                .any(|w| lower.contains(w)));
    let account = ACCOUNT_CODES.contains(&code);
    let state = match kind {
        _ if quota || account => DeliveryState::Deferred,
        ReplyKind::Permanent => DeliveryState::Failed,
        ReplyKind::Transient | ReplyKind::Tls => DeliveryState::Deferred,
        ReplyKind::Lost => DeliveryState::Unknown,
    };
    Outcome {
        stops_run: quota || account || kind == ReplyKind::Tls || state == DeliveryState::Unknown,
        state,
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
        let cases = [
            (
                ReplyKind::Permanent,
                "550",
                "550 5.1.1 <a@x.jp>: user unknown",
                DeliveryState::Failed,
                false,
            ),
            (
                ReplyKind::Transient,
                "450",
                "450 4.2.1 mailbox busy",
                DeliveryState::Deferred,
                false,
            ),
            (
                ReplyKind::Transient,
                "421",
                "421 4.7.0 try again later",
                DeliveryState::Deferred,
                true,
            ),
            (
                ReplyKind::Transient,
                "452",
                "452 4.5.3 too many recipients",
                DeliveryState::Deferred,
                true,
            ),
            (
                ReplyKind::Permanent,
                "550",
                "550 5.4.5 Daily sending quota exceeded",
                DeliveryState::Deferred,
                true,
            ),
            (
                ReplyKind::Permanent,
                "554",
                "554 5.7.1 Message rejected: sending rate exceeded",
                DeliveryState::Deferred,
                true,
            ),
            (
                ReplyKind::Permanent,
                "554",
                "554 5.7.1 Message rejected as spam",
                DeliveryState::Failed,
                false,
            ),
            (
                ReplyKind::Permanent,
                "535",
                "535 5.7.8 authentication failed",
                DeliveryState::Deferred,
                true,
            ),
            (
                ReplyKind::Lost,
                "",
                "connection reset by peer",
                DeliveryState::Unknown,
                true,
            ),
            (
                ReplyKind::Tls,
                "",
                "tls handshake failed",
                DeliveryState::Deferred,
                true,
            ),
        ];
        for (kind, code, reply, state, stops) in cases {
            let outcome = outcome_of(kind, Some(code).filter(|c| !c.is_empty()), reply);
            assert_eq!(
                (outcome.state, outcome.stops_run),
                (state, stops),
                "{reply}"
            );
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
