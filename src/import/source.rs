//! The table a contact file holds, whatever its kind: a workbook's sheet or a delimited text in
//! any common encoding, recognised by content and read row by row.

use std::path::Path;

use calamine::{Data, Range, Reader, Sheets};

use super::grid::{self, Grid, Row};
use super::{ImportOptions, mapping, sheet, sniff, text};
use crate::error::{Error, Result};

/// Rows read ahead to find the header, the columns and, in a workbook, the sheet with a table.
pub const SAMPLE_ROWS: usize = 1_000;

/// A file's table, and how it was read.
pub struct Source {
    pub format: String,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    pub table: Table,
}

pub enum Table {
    /// Decoded text and its delimiter.
    Text(String, u8),
    Sheet(Range<Data>),
}

impl Table {
    /// The table's non-blank rows in file order, each read when asked for, so that a file of
    /// millions of rows is never held as millions of rows at once. `path` names the file in
    /// errors.
    pub fn rows<'a>(&'a self, path: &'a Path) -> Box<dyn Iterator<Item = Result<Row>> + 'a> {
        match self {
            Table::Text(text, delimiter) => {
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                Box::new(text::rows(text, *delimiter).map(move |row| {
                    row.map_err(|e| match e {
                        text::TextError::Malformed { line, message } => Error::Csv {
                            path: path.into(),
                            row: line.into(),
                            message,
                        },
                        text::TextError::HugeCell { line } => huge_cell(
                            path,
                            format!(
                                "line {line}: a cell holds more than {} characters",
                                grid::MAX_CELL_CHARS
                            ),
                        ),
                    })
                }))
            }
            Table::Sheet(range) => Box::new(sheet_rows(range, path)),
        }
    }

    /// About how many rows the table holds, for progress.
    pub fn estimated_rows(&self) -> usize {
        match self {
            Table::Text(text, _) => text::estimated_rows(text),
            Table::Sheet(range) => range.height(),
        }
    }
}

fn sheet_rows<'a>(
    range: &'a Range<Data>,
    path: &'a Path,
) -> impl Iterator<Item = Result<Row>> + 'a {
    sheet::rows(range).map(move |row| row.map_err(|message| huge_cell(path, message)))
}

fn huge_cell(path: &Path, message: String) -> Error {
    Error::HugeCell {
        path: path.into(),
        message,
    }
}

/// The first rows of a table, up to [`SAMPLE_ROWS`].
pub fn sample(rows: &mut dyn Iterator<Item = Result<Row>>) -> Result<Grid> {
    Ok(Grid {
        rows: rows.take(SAMPLE_ROWS).collect::<Result<_>>()?,
    })
}

pub fn read(path: &Path, bytes: Vec<u8>, options: &ImportOptions) -> Result<Source> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile { path: path.into() });
    }
    match sniff::kind(&bytes) {
        sniff::Kind::Zip | sniff::Kind::Ole => read_workbook(path, bytes, options),
        sniff::Kind::Text => read_text(path, bytes, options),
    }
}

fn read_text(path: &Path, bytes: Vec<u8>, options: &ImportOptions) -> Result<Source> {
    let encoding = match options.encoding.as_deref() {
        Some(label) => {
            let encoding = sniff::encoding_for(label)
                .ok_or_else(|| Error::UnknownEncoding(label.to_string()))?;
            let detected = sniff::encoding(&bytes);
            sniff::TextEncoding {
                encoding,
                bom: detected.bom && detected.encoding == encoding,
            }
        }
        None => sniff::encoding(&bytes),
    };
    // Text holds no NUL or other low control bytes (outside UTF-16, where every other byte of
    // plain text is a NUL); a file that does is something else, whatever its name says.
    let utf16 = [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE].contains(&encoding.encoding);
    if !utf16 && bytes.iter().any(|&b| b < 0x09 || (0x0E..0x1B).contains(&b)) {
        return Err(Error::NotATable { path: path.into() });
    }
    let decoded = sniff::decode(bytes, encoding).map_err(|line| Error::NotText {
        path: path.into(),
        encoding: encoding.label(),
        line,
    })?;
    if utf16 && decoded.contains('\0') {
        return Err(Error::NotATable { path: path.into() });
    }
    let delimiter = sniff::delimiter(decoded.strip_prefix('\u{feff}').unwrap_or(&decoded));
    Ok(Source {
        format: "csv".into(),
        encoding: Some(encoding.label()),
        sheet: None,
        sheets: Vec::new(),
        table: Table::Text(decoded, delimiter),
    })
}

fn read_workbook(path: &Path, bytes: Vec<u8>, options: &ImportOptions) -> Result<Source> {
    let mut workbook =
        sheet::open(bytes).ok_or_else(|| Error::NotAWorkbook { path: path.into() })?;
    let format = match &workbook {
        Sheets::Xls(_) => "xls",
        Sheets::Xlsx(_) => "xlsx",
        Sheets::Xlsb(_) => "xlsb",
        Sheets::Ods(_) => "ods",
    };
    let sheets = workbook.sheet_names();
    let mut read = |name: &str| {
        sheet::read(&mut workbook, name).map_err(|message| Error::BadSheet {
            path: path.into(),
            sheet: name.to_string(),
            message,
        })
    };
    let (name, range) = match &options.sheet {
        Some(name) => {
            if !sheets.contains(name) {
                return Err(Error::NoSuchSheet {
                    name: name.clone(),
                    sheets,
                });
            }
            (name.clone(), read(name)?)
        }
        None => {
            let mut found = None;
            for name in &sheets {
                let range = read(name)?;
                if holds_table(&sample(&mut sheet_rows(&range, path))?) {
                    found = Some((name.clone(), range));
                    break;
                }
            }
            found.ok_or_else(|| Error::NoTable { path: path.into() })?
        }
    };
    Ok(Source {
        format: format.into(),
        encoding: None,
        sheet: Some(name),
        sheets,
        table: Table::Sheet(range),
    })
}

/// A sheet holds a table when it has a column of addresses; a cover sheet or a notes sheet
/// does not.
fn holds_table(grid: &Grid) -> bool {
    let first_data = mapping::header_row(grid).map_or(0, |h| h + 1);
    mapping::column_holding_addresses(grid, first_data).is_some()
}
