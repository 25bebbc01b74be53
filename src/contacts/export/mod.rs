//! Exporting a list or a filtered view of the address book to a CSV file (UTF-8 with a BOM, or
//! CP932 for older Excel) or an XLSX workbook, every field included. Values are written so that
//! a spreadsheet shows them as text and never runs them as formulas.

mod csv;
mod xlsx;

use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::contact::Contact;
use super::fields::STANDARD;
use super::query::{self, ContactQuery};
use crate::error::{Error, Result};
use crate::store::Db;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    #[default]
    Csv,
    Xlsx,
}

/// The text encoding of an exported CSV file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CsvEncoding {
    /// With a byte order mark, which Excel needs to read UTF-8 as UTF-8.
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    /// Shift_JIS as Windows and Japanese Excel write it.
    #[serde(rename = "cp932")]
    Cp932,
}

impl FromStr for CsvEncoding {
    type Err = String;

    fn from_str(s: &str) -> Result<CsvEncoding, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(CsvEncoding::Utf8),
            "cp932" | "shift_jis" | "shift-jis" | "sjis" | "windows-31j" => Ok(CsvEncoding::Cp932),
            _ => Err(format!(
                "unknown export encoding \"{s}\" (use utf-8 or cp932)"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// For CSV; a workbook has no encoding to choose.
    pub encoding: CsvEncoding,
}

impl ExportOptions {
    /// The format the file's extension names, with `encoding` for a CSV file.
    pub fn for_path(path: &Path, encoding: Option<CsvEncoding>) -> Result<ExportOptions> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match (extension.as_deref(), encoding) {
            (Some("csv"), encoding) => Ok(ExportOptions {
                format: ExportFormat::Csv,
                encoding: encoding.unwrap_or_default(),
            }),
            (Some("xlsx"), None) => Ok(ExportOptions {
                format: ExportFormat::Xlsx,
                encoding: CsvEncoding::default(),
            }),
            (Some("xlsx"), Some(_)) => Err(Error::EncodingForWorkbook),
            _ => Err(Error::ExportFormat { path: path.into() }),
        }
    }
}

/// The exported rows as text: a header of stable field names (the custom fields' own names
/// after the standard ones), then one row per contact.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn of(contacts: &[Contact]) -> Table {
        let mut custom: Vec<&String> = contacts
            .iter()
            .flat_map(|c| c.fields.fields.keys())
            .collect();
        custom.sort();
        custom.dedup();
        let header = ["address"]
            .into_iter()
            .chain(STANDARD)
            .chain(["tags", "lists", "suppressed"])
            .map(str::to_string)
            .chain(custom.iter().map(|name| name.to_string()))
            .collect();
        let rows = contacts
            .iter()
            .map(|c| {
                [c.address.clone()]
                    .into_iter()
                    .chain(c.fields.standard().map(|v| v.clone().unwrap_or_default()))
                    .chain([
                        c.tags.join(", "),
                        c.lists.join(", "),
                        c.suppressed
                            .as_ref()
                            .map_or(String::new(), |s| s.reason.as_str().to_string()),
                    ])
                    .chain(
                        custom
                            .iter()
                            .map(|name| c.fields.fields.get(*name).cloned().unwrap_or_default()),
                    )
                    .collect()
            })
            .collect();
        Table { header, rows }
    }

    /// Every row, header first, with its row number in the file.
    fn numbered(&self) -> impl Iterator<Item = (u32, &Vec<String>)> {
        std::iter::once(&self.header)
            .chain(&self.rows)
            .enumerate()
            .map(|(i, row)| (i as u32 + 1, row))
    }
}

/// Writes every contact the query matches, in its order (its offset and limit are ignored: an
/// export is the whole filtered view, not the page on screen). Returns how many were written.
/// Nothing is written when the export fails.
pub fn export(db: &Db, query: &ContactQuery, path: &Path, options: &ExportOptions) -> Result<u32> {
    let everything = ContactQuery {
        offset: 0,
        limit: u32::MAX,
        ..query.clone()
    };
    let contacts = query::query(db, &everything)?.rows;
    let table = Table::of(&contacts);
    let bytes = match options.format {
        ExportFormat::Csv => csv::write(&table, options.encoding)?,
        ExportFormat::Xlsx => xlsx::write(&table)?,
    };
    std::fs::write(path, bytes).map_err(Error::io(path))?;
    Ok(contacts.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        let csv = ExportOptions::for_path(Path::new("a/顧客.CSV"), None).unwrap();
        assert_eq!(
            (csv.format, csv.encoding),
            (ExportFormat::Csv, CsvEncoding::Utf8)
        );
        let sjis = ExportOptions::for_path(Path::new("a.csv"), Some(CsvEncoding::Cp932)).unwrap();
        assert_eq!(sjis.encoding, CsvEncoding::Cp932);
        let xlsx = ExportOptions::for_path(Path::new("a.xlsx"), None).unwrap();
        assert_eq!(xlsx.format, ExportFormat::Xlsx);
        assert!(matches!(
            ExportOptions::for_path(Path::new("a.xlsx"), Some(CsvEncoding::Cp932)),
            Err(Error::EncodingForWorkbook)
        ));
        assert!(matches!(
            ExportOptions::for_path(Path::new("a.txt"), None),
            Err(Error::ExportFormat { .. })
        ));
    }

    #[test]
    fn encodings_parse_by_their_usual_names() {
        assert_eq!("UTF-8".parse(), Ok(CsvEncoding::Utf8));
        assert_eq!("Shift_JIS".parse(), Ok(CsvEncoding::Cp932));
        assert!(
            "latin1"
                .parse::<CsvEncoding>()
                .unwrap_err()
                .contains("cp932")
        );
    }
}
