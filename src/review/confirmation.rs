//! The user's confirmation of a plan, and the check that the plan is still what they saw.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use std::collections::BTreeSet;

use super::checks;
use super::plan::{self, Plan, Route};
use crate::error::{Error, Result};

/// What the user confirmed: the digest of the plan they reviewed, each of its recipients'
/// domains and each of its files, ticked one by one, and the number of recipients, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Confirmation {
    pub digest: String,
    #[serde(default)]
    #[ts(optional)]
    pub domains: Option<Vec<String>>,
    /// The files' sha256.
    #[serde(default)]
    #[ts(optional)]
    pub attachments: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub count: Option<u32>,
}

impl Confirmation {
    /// Only the digest: what a test send, which goes to the user's own addresses, needs.
    pub fn digest(digest: impl Into<String>) -> Confirmation {
        Confirmation {
            digest: digest.into(),
            domains: None,
            attachments: None,
            count: None,
        }
    }

    /// Everything of `plan` acknowledged: what the CLI confirms when given the digest of the
    /// plan it showed whole.
    pub fn of_all(plan: &Plan) -> Confirmation {
        Confirmation {
            digest: plan.digest.clone(),
            domains: Some(domains(plan).into_iter().map(str::to_string).collect()),
            attachments: Some(files(plan).into_iter().map(str::to_string).collect()),
            count: Some(plan.snapshot.recipients.len() as u32),
        }
    }
}

/// Passes only when the confirmation names this plan, acknowledges every domain and file of
/// it and counts its recipients right, and the campaign, its list and its contacts are still
/// exactly what the plan froze — and it is about to go out by the `route` it froze.
pub fn check(
    conn: &rusqlite::Connection,
    plan: &Plan,
    confirmation: &Confirmation,
    route: &Route,
) -> Result<()> {
    names(plan, confirmation)?;
    acknowledged(plan, confirmation)?;
    if *route != plan.snapshot.route {
        return Err(Error::RouteChanged);
    }
    if plan::current_digest(conn, plan.snapshot.campaign_id, route)? != plan.digest {
        return Err(Error::PlanChanged);
    }
    Ok(())
}

/// Every domain and every file ticked, and the right number typed.
pub fn acknowledged(plan: &Plan, confirmation: &Confirmation) -> Result<()> {
    let ticked = |given: &Option<Vec<String>>, wanted: &str| {
        given
            .iter()
            .flatten()
            .any(|g| g.eq_ignore_ascii_case(wanted))
    };
    if let Some(domain) = domains(plan)
        .into_iter()
        .find(|d| !ticked(&confirmation.domains, d))
    {
        return Err(Error::NotAcknowledged(domain.to_string()));
    }
    if let Some(file) = files(plan)
        .into_iter()
        .find(|f| !ticked(&confirmation.attachments, f))
    {
        return Err(Error::NotAcknowledged(file_name(plan, file).to_string()));
    }
    let count = plan.snapshot.recipients.len() as u32;
    match confirmation.count {
        Some(typed) if typed == count => Ok(()),
        typed => Err(Error::WrongCount { typed, count }),
    }
}

/// The distinct domains of the plan's recipients.
fn domains(plan: &Plan) -> BTreeSet<&str> {
    plan.snapshot
        .recipients
        .iter()
        .map(|r| checks::domain_of(&r.address))
        .collect()
}

/// The sha256 of every file the plan sends: shared ones (not inline images) and own ones.
fn files(plan: &Plan) -> BTreeSet<&str> {
    let shared = plan
        .snapshot
        .files
        .iter()
        .filter(|f| f.content_id.is_none());
    shared
        .map(|f| f.file.sha256.as_str())
        .chain(
            plan.snapshot
                .recipients
                .iter()
                .filter_map(|r| r.file.as_ref().map(|f| f.sha256.as_str())),
        )
        .collect()
}

fn file_name<'a>(plan: &'a Plan, sha256: &str) -> &'a str {
    let shared = plan.snapshot.files.iter().map(|f| &f.file);
    let own = plan
        .snapshot
        .recipients
        .iter()
        .filter_map(|r| r.file.as_ref());
    shared
        .chain(own)
        .find(|f| f.sha256 == sha256)
        .map_or("", |f| f.name.as_str())
}

/// Passes only when the confirmation carries this plan's digest.
pub fn names(plan: &Plan, confirmation: &Confirmation) -> Result<()> {
    let digest = confirmation.digest.trim();
    if digest.is_empty() {
        return Err(Error::NotConfirmed);
    }
    if !digest.eq_ignore_ascii_case(&plan.digest) {
        return Err(Error::WrongDigest);
    }
    Ok(())
}

/// Keeps what was confirmed with the plan: the digest, the acknowledgements (as given), what
/// the user was shown (warnings and blockers, as given), when, and the operating system's user.
pub fn record(
    tx: &rusqlite::Transaction,
    plan: &Plan,
    acknowledged: &serde_json::Value,
    shown: &serde_json::Value,
    now: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO confirmations (plan_id, digest, acknowledged, shown, confirmed_at, os_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![
            plan.id,
            plan.digest,
            acknowledged.to_string(),
            shown.to_string(),
            now,
            os_user()
        ],
    )?;
    Ok(())
}

/// Who is signed in to the computer, as the system names them.
fn os_user() -> Option<String> {
    ["USERNAME", "USER", "LOGNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .filter(|user| !user.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Charset;
    use crate::review::PlanRecipient;
    use crate::review::plan::Snapshot;
    use crate::store::campaigns::CampaignFile;
    use crate::store::files::StoredFile;

    fn file(name: &str) -> StoredFile {
        StoredFile {
            name: name.into(),
            size: 1,
            sha256: format!("sha-{name}"),
        }
    }

    fn plan() -> Plan {
        let recipient = |address: &str, own: &str| PlanRecipient {
            address: address.into(),
            name: None,
            values: Default::default(),
            file: Some(file(own)),
        };
        Plan {
            id: 1,
            digest: "d".into(),
            snapshot: Snapshot {
                campaign_id: 1,
                list: "l".into(),
                subject: "s".into(),
                html: "h".into(),
                text: None,
                from: None,
                reply_to: None,
                unsubscribe: None,
                charset: Charset::Utf8,
                custom_fields: Vec::new(),
                files: vec![
                    CampaignFile {
                        file: file("案内.pdf"),
                        content_id: None,
                    },
                    // An inline image is part of the text, not a file to tick.
                    CampaignFile {
                        file: file("logo.png"),
                        content_id: Some("logo@shisa".into()),
                    },
                ],
                recipients: vec![
                    recipient("a@example.jp", "a.pdf"),
                    recipient("b@Example.jp", "b.pdf"),
                    recipient("c@other.jp", "c.pdf"),
                ],
                excluded: 0,
                route: Route::default(),
            },
        }
    }

    #[test]
    fn every_domain_and_file_must_be_ticked_and_the_count_typed() {
        let plan = plan();
        let all = Confirmation::of_all(&plan);
        assert_eq!(
            all.attachments.as_deref().unwrap(),
            ["sha-a.pdf", "sha-b.pdf", "sha-c.pdf", "sha-案内.pdf"]
        );
        assert!(acknowledged(&plan, &all).is_ok());

        let mut file_short = all.clone();
        file_short
            .attachments
            .as_mut()
            .unwrap()
            .retain(|f| f != "sha-案内.pdf");
        assert!(matches!(
            acknowledged(&plan, &file_short),
            Err(Error::NotAcknowledged(name)) if name == "案内.pdf"
        ));
        let mut domain_short = all.clone();
        domain_short
            .domains
            .as_mut()
            .unwrap()
            .retain(|d| d != "other.jp");
        assert!(matches!(
            acknowledged(&plan, &domain_short),
            Err(Error::NotAcknowledged(d)) if d == "other.jp"
        ));
        let uncounted = Confirmation {
            count: None,
            ..all.clone()
        };
        assert!(matches!(
            acknowledged(&plan, &uncounted),
            Err(Error::WrongCount {
                typed: None,
                count: 3
            })
        ));
    }
}
