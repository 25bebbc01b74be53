//! The send run: the only path from a confirmed plan to the outbox. It checks the confirmation,
//! opens the ledger, and sends one message per recipient, recording each state as it goes.

use serde::Serialize;
use ts_rs::TS;

use super::ledger::{self, DeliveryState};
use super::mailing::Mailing;
use super::transport::{Outbox, Outcome};
use crate::contacts;
use crate::error::{Error, Result};
use crate::review::{Confirmation, PlanRecipient, confirmation, plan};
use crate::store::Db;

/// Counts during a run, streamed to the UI after every recipient.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SendProgress {
    pub total: u32,
    pub done: u32,
    pub sent: u32,
    pub failed: u32,
    pub deferred: u32,
    pub unknown: u32,
    /// The address being sent to now.
    pub current: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SendSummary {
    #[ts(type = "number")]
    pub campaign_id: i64,
    pub total: u32,
    pub sent: u32,
    pub failed: u32,
    pub deferred: u32,
    pub unknown: u32,
    pub practice: bool,
}

/// Sends a reviewed plan. Refused — with nothing sent and nothing recorded — unless the
/// confirmation carries this plan's digest and the campaign is still exactly as reviewed.
pub async fn send(
    db: &Db,
    plan_id: i64,
    confirmation: &Confirmation,
    outbox: &Outbox,
    mut on_progress: impl FnMut(&SendProgress),
) -> Result<SendSummary> {
    let plan = {
        let conn = db.conn()?;
        let plan = plan::load(&conn, plan_id)?;
        confirmation::check(&conn, &plan, confirmation)?;
        plan
    };
    let from = outbox.sender(plan.snapshot.from.as_deref())?;
    let mailing = Mailing::new(db, &plan, from)?;
    outbox.check().await?;
    let queued = ledger::open(db, &plan)?;

    let mut progress = SendProgress {
        total: queued.len() as u32,
        ..SendProgress::default()
    };
    on_progress(&progress);
    for recipient in &queued {
        progress.current = Some(recipient.address.clone());
        on_progress(&progress);
        ledger::record(db, recipient.id, DeliveryState::Sending, None, None)?;
        // Suppression is checked again per recipient: an address suppressed while a long run
        // is under way is still never mailed.
        let (outcome, message_id) = if contacts::is_suppressed(&*db.conn()?, &recipient.address)? {
            (suppressed_after_review(), None)
        } else {
            deliver_one(
                &mailing,
                &plan.snapshot.recipients[recipient.position],
                outbox,
            )
            .await
        };
        ledger::record(
            db,
            recipient.id,
            outcome.state,
            Some(&outcome.reply),
            message_id.as_deref(),
        )?;
        progress.done += 1;
        match outcome.state {
            DeliveryState::Sent => progress.sent += 1,
            DeliveryState::Failed => progress.failed += 1,
            DeliveryState::Deferred => progress.deferred += 1,
            _ => progress.unknown += 1,
        }
        progress.current = None;
        on_progress(&progress);
        if outcome.stops_run {
            return Err(Error::Smtp(outcome.reply));
        }
    }
    Ok(SendSummary {
        campaign_id: plan.snapshot.campaign_id,
        total: progress.total,
        sent: progress.sent,
        failed: progress.failed,
        deferred: progress.deferred,
        unknown: progress.unknown,
        practice: outbox.is_practice(),
    })
}

fn suppressed_after_review() -> Outcome {
    Outcome {
        state: DeliveryState::Failed,
        reply: "not sent: the address was suppressed after the review".into(),
        stops_run: false,
    }
}

/// Builds and delivers one recipient's message; returns what happened and its Message-ID.
async fn deliver_one(
    mailing: &Mailing,
    recipient: &PlanRecipient,
    outbox: &Outbox,
) -> (Outcome, Option<String>) {
    match mailing.message(recipient) {
        Ok(message) => {
            let message_id = message.headers().get_raw("Message-ID").map(str::to_string);
            (outbox.deliver(&message).await, message_id)
        }
        Err(e) => {
            let outcome = Outcome {
                state: DeliveryState::Failed,
                reply: e.to_string(),
                stops_run: false,
            };
            (outcome, None)
        }
    }
}
