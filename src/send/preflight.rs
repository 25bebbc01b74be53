//! What is known of a plan before it is sent: its checks (review) with the user's own and
//! blocked domains and the domains the account mailed before, and how long it will take within
//! the account's limits. `runner::start` refuses a plan with a blocker.

use std::collections::HashSet;

use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

use super::limits::DAY;
use super::runner::{RunOptions, estimate};
use crate::error::Result;
use crate::review::Plan;
use crate::review::checks::{self, Checks, Context};
use crate::store::{Db, preferences};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Preflight {
    #[serde(flatten)]
    #[ts(flatten)]
    pub checks: Checks,
    /// How long sending takes within the account's limits, and when it ends if started
    /// `from`.
    #[ts(type = "number")]
    pub eta_seconds: u64,
    pub finish_at: String,
}

pub fn preflight(
    db: &Db,
    plan: &Plan,
    options: &RunOptions,
    from: OffsetDateTime,
) -> Result<Preflight> {
    let preferences = preferences::load(db)?;
    let context = Context {
        own_domains: preferences.own_domains,
        blocked: preferences.blocked,
        known_domains: sent_domains(db, options.account.as_deref())?,
    };
    let count = plan.snapshot.recipients.len() as u32;
    let (eta_seconds, finish_at) = estimate(&options.limits, count, from);
    Ok(Preflight {
        checks: checks::check(&plan.snapshot, &context, options.limits.per(DAY)),
        eta_seconds,
        finish_at,
    })
}

/// The domains an account (none: the practice mailbox) has delivered to; none if it never
/// delivered anything.
pub fn sent_domains(db: &Db, account: Option<&str>) -> Result<Option<HashSet<String>>> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(
        "SELECT DISTINCT lower(substr(d.address, instr(d.address, '@') + 1))
         FROM deliveries d JOIN runs r ON r.plan_id = d.plan_id
         WHERE d.state = 'sent' AND r.account IS ?1",
    )?;
    let domains: HashSet<String> = stmt
        .query_map([account], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((!domains.is_empty()).then_some(domains))
}
