//! One module per workflow stage, named as in the core and the UI.

pub mod compose;
pub mod contacts;
pub mod history;
pub mod import;
pub mod review;
pub mod send;
pub mod settings;
