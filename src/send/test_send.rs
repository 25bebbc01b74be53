//! Test sends: the mail being written, sent to the user's own addresses with its subject
//! marked, through the same confirmation as a campaign in a short form — the user sees the
//! addresses and the subject, and the digest of exactly that is what sends. Test mails are
//! not deliveries of a campaign and are not recorded in its history.

use serde::Serialize;
use ts_rs::TS;

use super::mailing::{self, Mailing};
use super::transport::Outbox;
use crate::compose::NewCampaign;
use crate::error::Result;
use crate::review::{Confirmation, confirmation, plan};
use crate::store::Db;

/// The mark a test mail's subject starts with, in the user's language.
pub fn mark(locale: &str) -> &'static str {
    if locale.starts_with("ja") {
        "[テスト]"
    } else {
        "[TEST]"
    }
}

/// What a test send is about to do, for the user to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TestSend {
    pub digest: String,
    pub to: Vec<String>,
    pub subject: String,
    /// The recipient whose values fill the merge fields.
    pub sample: String,
}

/// One test mail's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TestResult {
    pub address: String,
    pub sent: bool,
    pub reply: String,
}

/// The test to confirm: its recipients, its subject as sent (with the sample's values) and its
/// digest.
pub fn prepare(
    db: &Db,
    new: NewCampaign,
    to: &[String],
    sample: Option<&str>,
    mark: &str,
) -> Result<TestSend> {
    let plan = plan::test(db, new, to, sample, mark)?;
    let first = &plan.snapshot.recipients[0];
    // Every test mail carries the sample recipient's values, their address among them.
    let sample = first.values.get("email").cloned().unwrap_or_default();
    Ok(TestSend {
        subject: mailing::prepare(&plan)?.personal(&first.values).subject,
        digest: plan.digest.clone(),
        to: plan
            .snapshot
            .recipients
            .iter()
            .map(|r| r.address.clone())
            .collect(),
        sample,
    })
}

/// Sends the test, if `confirmation` carries the digest of exactly this test.
pub async fn send(
    db: &Db,
    new: NewCampaign,
    to: &[String],
    sample: Option<&str>,
    mark: &str,
    confirmation: &Confirmation,
    outbox: &Outbox,
) -> Result<Vec<TestResult>> {
    let plan = plan::test(db, new, to, sample, mark)?;
    confirmation::names(&plan, confirmation)?;
    let from = outbox.sender(plan.snapshot.from.as_deref())?;
    let mailing = Mailing::new(db, &plan, from)?;
    let mut courier = outbox
        .open(|_| {})
        .await
        .map_err(|e| crate::Error::Smtp(e.to_string()))?;
    let mut results = Vec::new();
    for recipient in &plan.snapshot.recipients {
        let message = mailing.message(recipient)?;
        let outcome = courier
            .deliver(message.envelope(), &message.formatted())
            .await;
        results.push(TestResult {
            address: recipient.address.clone(),
            sent: outcome.state == super::DeliveryState::Sent,
            reply: outcome.reply,
        });
    }
    courier.close().await;
    Ok(results)
}
