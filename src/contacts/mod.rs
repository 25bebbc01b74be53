//! Contacts: the address book every campaign draws its recipients from — contacts and their
//! fields, lists, tags, the trash, the suppression list, the table's queries and exports. Uses
//! `store` only; knows nothing of mail.

pub mod address;
mod contact;
mod edit;
mod export;
mod fields;
mod lists;
mod query;
mod recipients;
mod suppression;
mod tags;
mod trash;
mod upsert;

pub use contact::{Contact, Suppressed};
pub use edit::{ContactEdit, update};
pub use export::{CsvEncoding, ExportFormat, ExportOptions, export};
pub use fields::ContactFields;
pub use lists::{
    ContactRow, ListSummary, add_members, contacts_of, create_list, delete_list, ensure_list,
    in_list, list_id, lists, remove_members, rename_list,
};
pub use query::{ContactPage, ContactQuery, ContactSort, ContactStatus, query};
pub use recipients::{Recipient, Recipients, custom_fields, each_recipient, pick, recipients};
pub use suppression::{
    Suppression, SuppressionReason, is_suppressed, suppress, suppressions, unsuppress,
};
pub use tags::{TagSummary, tag, tags, untag};
pub use trash::{empty_trash, restore, trash};
pub use upsert::{Incoming, Mode, Upsert, Writer};
