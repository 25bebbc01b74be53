//! Review: freezing a campaign into a plan and checking the user's confirmation of it. Uses
//! `compose`'s output as stored, `contacts` and `store`; sends nothing.

pub mod checks;
pub mod confirmation;
pub mod plan;

pub use confirmation::Confirmation;
pub use plan::{Plan, PlanRecipient, Route};
