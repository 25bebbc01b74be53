//! The user's confirmation of a plan, and the check that the plan is still what they saw.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::plan::{self, Plan};
use crate::error::{Error, Result};

/// What the user confirmed: the digest of the plan they reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Confirmation {
    pub digest: String,
}

/// Passes only when the confirmation names this plan and the campaign, its list and its
/// contacts are still exactly what the plan froze.
pub fn check(conn: &rusqlite::Connection, plan: &Plan, confirmation: &Confirmation) -> Result<()> {
    names(plan, confirmation)?;
    if plan::current_digest(conn, plan.snapshot.campaign_id)? != plan.digest {
        return Err(Error::PlanChanged);
    }
    Ok(())
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
