//! Shisa's core: every step of the workflow — import, contacts, compose, review, send,
//! history — as plain Rust with no desktop or UI dependency. The desktop app and the `shisa`
//! CLI are thin layers over this API.

pub mod clock;
pub mod compose;
pub mod contacts;
pub mod error;
pub mod history;
pub mod import;
pub mod review;
pub mod send;
pub mod store;

pub use error::{Error, Result};
pub use store::Db;

/// The desktop app's identifier; it names the per-user data folder the app and CLI share.
pub const APP_IDENTIFIER: &str = "com.shisa.desktop";
