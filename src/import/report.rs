//! What an import found and did, row by row: the preview shown before committing and the
//! report after.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::mapping::{Column, Field};
use crate::contacts::address::{self, Warning};
use crate::contacts::{ContactFields, Mode};

/// The user's choices for one import; every one may be left to detection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOptions {
    /// The list the contacts join (created if new); `None`: the address book only.
    pub list: Option<String>,
    /// The sheet of a workbook; default: the first one holding a table.
    pub sheet: Option<String>,
    /// The header row as the file numbers it (line or spreadsheet row); default: detected.
    pub header_row: Option<u32>,
    /// Columns assigned to fields, overriding the suggestions.
    pub mapping: Vec<MapColumn>,
    /// The text encoding (e.g. "CP932"); default: detected.
    pub encoding: Option<String>,
    pub mode: Mode,
    /// Check everything and report, but store nothing.
    pub dry_run: bool,
}

/// "Put column `column` (header, letter or 1-based number) into `field`", or with no field,
/// "keep it as a custom field named by its header".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MapColumn {
    pub field: Option<Field>,
    pub column: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub list: Option<String>,
    /// "csv" for any delimited text, else the workbook format ("xlsx", "xls", "xlsb", "ods").
    pub format: String,
    /// The text encoding used, for text files.
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    /// Every sheet of a workbook, for choosing another.
    pub sheets: Vec<String>,
    /// The header row as the file numbers it; `None` when the table has no header.
    pub header_row: Option<u32>,
    pub columns: Vec<Column>,
    /// The first rows of the table as read, title rows included, for choosing the header row.
    pub head: Vec<HeadRow>,
    /// The first data rows as they will be stored.
    pub preview: Vec<PreviewRow>,
    /// Data rows read (header and blank rows not counted).
    pub rows: u32,
    /// Contacts new to the address book.
    pub imported: u32,
    /// Contacts already known that this file changed.
    pub updated: u32,
    /// Contacts already known that this file holds exactly as stored.
    pub unchanged: u32,
    /// Rows left alone because of the mode (existing in add mode, new in update mode).
    pub skipped: u32,
    /// Rows repeating an address seen earlier in the same file.
    pub duplicates: u32,
    pub invalid: Vec<InvalidRow>,
    pub warnings: Vec<RowWarning>,
    pub mode: Mode,
    pub dry_run: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HeadRow {
    pub row: u32,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    pub row: u32,
    pub address: String,
    pub contact: ContactFields,
}

/// A row that was not imported, and why, with its cells so it can be saved, fixed and
/// imported again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvalidRow {
    pub row: u32,
    pub value: String,
    pub reason: address::Invalid,
    pub cells: Vec<String>,
}

/// A row that was imported but deserves a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowWarning {
    pub row: u32,
    pub value: String,
    pub kind: Warning,
    pub suggestion: Option<String>,
}

/// Progress of a long import, sent every few thousand rows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
    pub rows_per_second: f64,
    pub eta_seconds: f64,
}
