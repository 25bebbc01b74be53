//! Send: accounts, the outbox (SMTP or practice mailbox), the per-recipient ledger and the run
//! that ties them together. Uses `review` for the plan and its confirmation, `compose` to build
//! each message, and `store`.

pub mod account;
pub mod accounts;
pub mod connection;
pub mod ledger;
pub mod limits;
pub mod mailing;
pub mod preflight;
pub mod runner;
pub mod runs;
pub mod secrets;
pub mod test_send;
pub mod transport;

pub use account::{Security, SmtpAccount};
pub use ledger::DeliveryState;
pub use limits::Limits;
pub use runner::{RunOptions, SendProgress, SendSummary, run, send, start};
pub use runs::{Run, RunState};
pub use transport::{Outbox, practice_mailbox};
