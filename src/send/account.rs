//! The SMTP account mail goes out through: server, security and credentials.

use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename = "SmtpSecurity")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which is required.
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No TLS at all: allowed only for a server on this computer.
    Insecure,
}

impl Security {
    /// The URL scheme that names it (`SmtpAccount::from_url`).
    pub fn scheme(self) -> &'static str {
        match self {
            Security::Starttls => "smtp",
            Security::Tls => "smtps",
            Security::Insecure => "smtp+insecure",
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct SmtpAccount {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    pub password: Option<String>,
    /// The sender when a campaign names none (else the user, if it is an address).
    pub from: Option<String>,
    /// Extra trusted root certificates (PEM), for servers signed by a private authority.
    pub extra_roots: Vec<Vec<u8>>,
    /// How long to wait for any one answer of the server.
    pub timeout: Duration,
}

/// RFC 5321 asks clients to wait minutes for some replies; a minute is what desktop mail
/// programs use, and long enough for a busy server's answer to the end of the data.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

impl std::fmt::Debug for SmtpAccount {
    // Written by hand so a password can never end up in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpAccount")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl SmtpAccount {
    /// Parses `smtp://user@host:port` (STARTTLS), `smtps://user@host:port` (TLS) or
    /// `smtp+insecure://127.0.0.1:port` (no TLS, loopback only).
    pub fn from_url(text: &str, password: Option<String>) -> Result<SmtpAccount> {
        let bad = |reason: &str| Error::BadSmtpUrl {
            url: text.to_string(),
            reason: reason.to_string(),
        };
        let url = url::Url::parse(text).map_err(|e| bad(&e.to_string()))?;
        let (security, default_port) = match url.scheme() {
            "smtp" => (Security::Starttls, 587),
            "smtps" => (Security::Tls, 465),
            "smtp+insecure" => (Security::Insecure, 25),
            _ => return Err(bad("the scheme must be smtp, smtps or smtp+insecure")),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("no host"))?
            .trim_matches(['[', ']'])
            .to_string();
        let user = match url.username() {
            "" => None,
            user => Some(
                percent_encoding::percent_decode_str(user)
                    .decode_utf8()
                    .map_err(|_| bad("the user name is not valid UTF-8"))?
                    .into_owned(),
            ),
        };
        let account = SmtpAccount {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            user,
            password,
            from: None,
            extra_roots: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
        };
        account.check()?;
        Ok(account)
    }

    /// Refuses a connection without TLS to anything but this computer, so credentials and
    /// personal data never cross a network in clear text.
    pub fn check(&self) -> Result<()> {
        if self.host.trim().is_empty() {
            return Err(Error::BadSmtpUrl {
                url: self.host.clone(),
                reason: "no host".into(),
            });
        }
        if self.security == Security::Insecure && !is_loopback(&self.host) {
            return Err(Error::InsecureRemote {
                host: self.host.clone(),
            });
        }
        Ok(())
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_schemes_with_default_ports() {
        let a = SmtpAccount::from_url("smtp://office%40example.jp@mail.example.jp", None).unwrap();
        assert_eq!(
            (a.host.as_str(), a.port, a.security, a.user.as_deref()),
            (
                "mail.example.jp",
                587,
                Security::Starttls,
                Some("office@example.jp")
            )
        );
        let a = SmtpAccount::from_url("smtps://u@mail.example.jp", None).unwrap();
        assert_eq!((a.port, a.security), (465, Security::Tls));
        let a = SmtpAccount::from_url("smtp+insecure://127.0.0.1:2525", None).unwrap();
        assert_eq!(
            (a.port, a.security, a.user),
            (2525, Security::Insecure, None)
        );
    }

    #[test]
    fn refuses_insecure_remote_servers_and_unknown_schemes() {
        assert!(matches!(
            SmtpAccount::from_url("smtp+insecure://mail.example.jp:25", None),
            Err(Error::InsecureRemote { .. })
        ));
        assert!(SmtpAccount::from_url("smtp+insecure://[::1]:25", None).is_ok());
        assert!(matches!(
            SmtpAccount::from_url("http://mail.example.jp", None),
            Err(Error::BadSmtpUrl { .. })
        ));
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let a = SmtpAccount::from_url("smtp://u@h.example", Some("hunter2".into())).unwrap();
        assert!(!format!("{a:?}").contains("hunter2"));
    }
}
