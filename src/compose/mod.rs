//! Compose: turning what the user wrote into one MIME message per recipient. Pure functions of
//! their inputs; this module never touches the database.

pub mod charset;
pub mod draft;
pub mod merge;
pub mod message;
pub mod render;
pub mod sanitize;

pub use charset::Charset;
pub use draft::{Draft, NewCampaign};
