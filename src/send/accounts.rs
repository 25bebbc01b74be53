//! Saved SMTP accounts: the server, the login, the sender, and the limits every run through
//! the account keeps. The password goes to the keychain (`secrets`), never into the database.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::account::{DEFAULT_TIMEOUT, Security, SmtpAccount};
use super::limits::Limits;
use super::runner::RunOptions;
use super::secrets::Secrets;
use crate::error::{Error, Result};
use crate::store::Db;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Account {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    /// The sender when a campaign names none, e.g. "事務局 <office@example.jp>".
    pub from: Option<String>,
    /// The provider preset the limits came from.
    pub preset: Option<String>,
    pub limits: Limits,
}

/// An account as the user saves it. No password keeps the one in the keychain.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct AccountForm {
    #[serde(flatten)]
    pub account: Account,
    pub password: Option<String>,
}

impl Account {
    /// The connection settings, with the password from the keychain.
    pub fn smtp(&self, password: Option<String>) -> SmtpAccount {
        SmtpAccount {
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            user: self.user.clone(),
            password,
            from: self.from.clone(),
            extra_roots: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            account: Some(self.name.clone()),
            limits: self.limits.clone(),
            ..RunOptions::default()
        }
    }

    fn check(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::EmptyAccountName);
        }
        if !(1..=32).contains(&self.limits.connections) {
            return Err(Error::BadConnections(self.limits.connections));
        }
        if let Some(from) = &self.from {
            crate::compose::draft::mailbox(from)?;
        }
        self.smtp(None).check()
    }
}

/// Saves an account (replacing the one of the same name) and its password. Checked first:
/// nothing is saved for a bad server, sender or connection count.
pub fn save(db: &Db, secrets: &dyn Secrets, form: AccountForm) -> Result<Account> {
    let AccountForm {
        mut account,
        password,
    } = form;
    account.name = account.name.trim().to_string();
    account.host = account.host.trim().to_string();
    account.check()?;
    let now = db.now();
    let secret = db.with_tx(|tx| {
        let secret: String = tx
            .query_row(
                "SELECT secret FROM accounts WHERE name = ?1",
                [&account.name],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        tx.execute(
            "INSERT INTO accounts (name, host, port, security, user, from_addr, preset, limits,
                                   connections, secret, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (name) DO UPDATE SET host = ?2, port = ?3, security = ?4, user = ?5,
                 from_addr = ?6, preset = ?7, limits = ?8, connections = ?9",
            params![
                account.name,
                account.host,
                account.port,
                security_str(account.security),
                account.user,
                account.from,
                account.preset,
                serde_json::to_string(&account.limits.windows).expect("windows serialise"),
                account.limits.connections,
                secret,
                now
            ],
        )?;
        Ok(secret)
    })?;
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        secrets.set(&secret, &password)?;
    }
    Ok(account)
}

fn security_str(security: Security) -> &'static str {
    match security {
        Security::Starttls => "starttls",
        Security::Tls => "tls",
        Security::Insecure => "insecure",
    }
}

const SELECT: &str = "SELECT name, host, port, security, user, from_addr, preset, limits,
    connections, secret FROM accounts";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<(Account, String)> {
    let security: String = r.get(3)?;
    let windows: String = r.get(7)?;
    Ok((
        Account {
            name: r.get(0)?,
            host: r.get(1)?,
            port: r.get(2)?,
            security: match security.as_str() {
                "tls" => Security::Tls,
                "insecure" => Security::Insecure,
                _ => Security::Starttls,
            },
            user: r.get(4)?,
            from: r.get(5)?,
            preset: r.get(6)?,
            limits: Limits {
                windows: serde_json::from_str(&windows).unwrap_or_default(),
                connections: r.get(8)?,
            },
        },
        r.get(9)?,
    ))
}

pub fn list(db: &Db) -> Result<Vec<Account>> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY name"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows
        .map(|r| r.map(|(account, _)| account))
        .collect::<rusqlite::Result<_>>()?)
}

fn find(db: &Db, name: &str) -> Result<(Account, String)> {
    db.conn()?
        .query_row(&format!("{SELECT} WHERE name = ?1"), [name], from_row)
        .optional()?
        .ok_or_else(|| Error::NoSuchAccount(name.to_string()))
}

pub fn get(db: &Db, name: &str) -> Result<Account> {
    Ok(find(db, name)?.0)
}

/// The account and its connection settings with the password from the keychain. An account
/// with a user but no password in the keychain is an error here, before any connection.
pub fn open(db: &Db, secrets: &dyn Secrets, name: &str) -> Result<(Account, SmtpAccount)> {
    let (account, secret) = find(db, name)?;
    let password = secrets.get(&secret)?;
    if account.user.is_some() && password.is_none() {
        return Err(Error::NoPassword(name.to_string()));
    }
    let smtp = account.smtp(password);
    Ok((account, smtp))
}

/// Deletes an account and its password. Campaigns sent through it keep their records.
pub fn delete(db: &Db, secrets: &dyn Secrets, name: &str) -> Result<()> {
    let (_, secret) = find(db, name)?;
    db.with_tx(|tx| {
        tx.execute("DELETE FROM accounts WHERE name = ?1", [name])?;
        Ok(())
    })?;
    secrets.delete(&secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::send::limits::{DAY, Window};
    use crate::send::secrets::Memory;

    fn form(name: &str, password: Option<&str>) -> AccountForm {
        AccountForm {
            account: Account {
                name: name.into(),
                host: "smtp.example.jp".into(),
                port: 587,
                security: Security::Starttls,
                user: Some("office@example.jp".into()),
                from: Some("事務局 <office@example.jp>".into()),
                preset: Some("gmail".into()),
                limits: Limits {
                    windows: vec![Window {
                        seconds: DAY,
                        max: 500,
                    }],
                    connections: 2,
                },
            },
            password: password.map(str::to_string),
        }
    }

    #[test]
    fn saves_accounts_with_the_password_only_in_the_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("shisa.sqlite3")).unwrap();
        let secrets = Memory::default();
        save(&db, &secrets, form("office", Some("hunter2"))).unwrap();
        let (account, smtp) = open(&db, &secrets, "office").unwrap();
        assert_eq!(account.limits.per(DAY), Some(500));
        assert_eq!(smtp.password.as_deref(), Some("hunter2"));
        // Saving again without a password keeps it.
        save(&db, &secrets, form("office", None)).unwrap();
        assert_eq!(
            open(&db, &secrets, "office").unwrap().1.password.as_deref(),
            Some("hunter2")
        );
        let stored: String = db
            .conn()
            .unwrap()
            .query_row(
                "SELECT group_concat(quote(accounts.*)) FROM accounts",
                [],
                |r| r.get(0),
            )
            .unwrap_or_default();
        assert!(!stored.contains("hunter2"));
        delete(&db, &secrets, "office").unwrap();
        assert!(matches!(
            open(&db, &secrets, "office"),
            Err(Error::NoSuchAccount(_))
        ));
        assert!(secrets.0.lock().unwrap().is_empty());
    }

    #[test]
    fn refuses_bad_accounts_and_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("shisa.sqlite3")).unwrap();
        let secrets = Memory::default();
        let mut insecure = form("x", Some("pw"));
        insecure.account.security = Security::Insecure;
        assert!(matches!(
            save(&db, &secrets, insecure),
            Err(Error::InsecureRemote { .. })
        ));
        let mut many = form("x", Some("pw"));
        many.account.limits.connections = 99;
        assert!(matches!(
            save(&db, &secrets, many),
            Err(Error::BadConnections(99))
        ));
        assert!(list(&db).unwrap().is_empty());
        assert!(secrets.0.lock().unwrap().is_empty());
    }

    #[test]
    fn an_account_without_its_password_is_refused_before_connecting() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("shisa.sqlite3")).unwrap();
        save(&db, &Memory::default(), form("office", Some("pw"))).unwrap();
        assert!(matches!(
            open(&db, &Memory::default(), "office"),
            Err(Error::NoPassword(_))
        ));
    }
}
