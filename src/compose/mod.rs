//! Compose: turning what the user wrote into one MIME message per recipient. Pure functions of
//! their inputs; this module never touches the database.

pub mod draft;
pub mod message;
pub mod template;

pub use draft::{Draft, NewCampaign};
