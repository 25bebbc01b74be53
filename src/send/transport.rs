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

/// Sorts an SMTP error by what it says about the recipient: a 5xx reply is final for them, a
/// 4xx reply may be retried later, and a lost connection or timeout leaves it unknown whether
/// the server took the mail — which must never be guessed.
fn classify(e: &lettre::transport::smtp::Error) -> Outcome {
    let reply = e.to_string();
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    let account_problem = ACCOUNT_CODES.contains(&code.as_str()) || code == "421";
    let state = if e.is_permanent() && !account_problem {
        DeliveryState::Failed
    } else if e.is_transient() || account_problem || e.is_tls() {
        DeliveryState::Deferred
    } else {
        DeliveryState::Unknown
    };
    Outcome {
        stops_run: account_problem || e.is_tls() || state == DeliveryState::Unknown,
        state,
        reply,
    }
}
