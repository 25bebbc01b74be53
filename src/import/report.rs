//! What an import did, row by row: the report shown before and after committing.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub list: String,
    /// Data rows read (the header row not counted).
    pub rows: u32,
    /// Contacts new to the address book.
    pub imported: u32,
    /// Contacts already known whose name changed.
    pub updated: u32,
    /// Rows repeating an address seen earlier in the same file.
    pub duplicates: u32,
    pub invalid: Vec<InvalidRow>,
}

/// A row that was not imported, and why. `row` is the line number as a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct InvalidRow {
    pub row: u32,
    pub value: String,
    pub reason: String,
}
