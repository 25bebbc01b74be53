//! Import: a contact file on disk — a workbook or delimited text in any common encoding —
//! becomes contacts, in one transaction, with a report of every row that could not be taken
//! and every row worth a second look. Uses `contacts` and `store`; knows nothing of mail.

pub mod grid;
pub mod mapping;
pub mod report;
pub mod sheet;
pub mod sniff;
pub mod text;

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use calamine::{Reader, Sheets};
use rusqlite::Transaction;

use crate::contacts::{self, ContactFields, Upsert, address};
use crate::error::{Error, Result};
use crate::store::Db;
use grid::Grid;
use mapping::{Column, Field};
pub use report::{
    HeadRow, ImportOptions, ImportProgress, ImportReport, InvalidRow, MapColumn, PreviewRow,
    RowWarning,
};

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 20;
/// Rows of the file shown for choosing the header row.
const HEAD_ROWS: usize = 12;
/// How often (in rows) progress is reported and cancellation is checked.
const PROGRESS_EVERY: usize = 2_000;

/// Reads, checks and imports `path` as `options` say. On any error, or when cancelled, or in
/// a dry run, the database is left exactly as it was.
pub fn import_file(
    db: &Db,
    path: &Path,
    options: &ImportOptions,
    mut on_progress: impl FnMut(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    let list = match options.list.as_deref().map(str::trim) {
        Some("") => return Err(Error::EmptyListName),
        list => list.map(str::to_string),
    };
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    let (mut report, accepted) = parse(path, bytes, options)?;
    report.list = list.clone();
    let now = db.now();
    let save = |tx: &Transaction| {
        // A large import updates every contacts index at random places; a page cache that
        // holds them turns that from disk-bound into memory-bound.
        let _cache = LargeCache::new(tx, accepted.len())?;
        let list_id = list
            .as_deref()
            .map(|l| contacts::ensure_list(tx, l, &now))
            .transpose()?;
        let mut writer = contacts::Writer::new(tx, &now)?;
        let total = accepted.len();
        let started = Instant::now();
        // In address order every new contact lands at the end of the address index instead of
        // at a random page of it.
        let mut in_order: Vec<&Accepted> = accepted.iter().collect();
        in_order.sort_unstable_by(|a, b| a.1.cmp(&b.1));
        for (i, (_, address, contact)) in in_order.into_iter().enumerate() {
            if i % PROGRESS_EVERY == 0 {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                on_progress(&progress(i, total, started));
            }
            let (id, outcome) = writer.upsert(address, contact, options.mode)?;
            match outcome {
                Upsert::New => report.imported += 1,
                Upsert::Updated => report.updated += 1,
                Upsert::Unchanged => report.unchanged += 1,
                Upsert::Skipped => report.skipped += 1,
            }
            if let (Some(list_id), Some(id)) = (list_id, id) {
                writer.add_to_list(list_id, id)?;
            }
        }
        on_progress(&progress(total, total, started));
        Ok(())
    };
    if options.dry_run {
        db.trial(save)?;
    } else {
        db.with_tx(save)?;
    }
    Ok(report)
}

/// A row to store: its number in the file, the normalised address and the contact's fields.
pub type Accepted = (u32, String, ContactFields);

/// Reads and checks a file's bytes as `options` say, without touching the database: the
/// report (all but the counts only saving can tell) and the rows to store. `path` only names
/// the file in messages.
pub fn parse(
    path: &Path,
    bytes: Vec<u8>,
    options: &ImportOptions,
) -> Result<(ImportReport, Vec<Accepted>)> {
    let source = read_source(path, bytes, options)?;
    let layout = layout(path, &source.grid, options)?;
    let header_row = layout.header.map(|h| source.grid.rows[h].number);
    let head = source.grid.rows[..source.grid.rows.len().min(HEAD_ROWS)]
        .iter()
        .map(|r| HeadRow {
            row: r.number,
            cells: r.cells.clone(),
        })
        .collect();
    let rows = parse_rows(source.grid, &layout);
    if rows.accepted.is_empty() {
        return Err(Error::NoValidRows { path: path.into() });
    }
    let report = ImportReport {
        format: source.format,
        encoding: source.encoding,
        sheet: source.sheet,
        sheets: source.sheets,
        header_row,
        head,
        preview: rows
            .accepted
            .iter()
            .take(PREVIEW_ROWS)
            .map(|(row, address, contact)| PreviewRow {
                row: *row,
                address: address.clone(),
                contact: contact.clone(),
            })
            .collect(),
        columns: layout.columns,
        rows: rows.read,
        duplicates: rows.duplicates,
        invalid: rows.invalid,
        warnings: rows.warnings,
        mode: options.mode,
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    Ok((report, rows.accepted))
}

/// Raises the connection's page cache for the length of an import and puts it back after.
struct LargeCache<'a> {
    conn: &'a rusqlite::Connection,
}

impl<'a> LargeCache<'a> {
    /// About 200 bytes of index pages per row, within 16–256 MB.
    fn new(conn: &'a rusqlite::Connection, rows: usize) -> Result<LargeCache<'a>> {
        let kib = (rows / 5).clamp(16_384, 262_144);
        conn.pragma_update(None, "cache_size", -(kib as i64))?;
        Ok(LargeCache { conn })
    }
}

impl Drop for LargeCache<'_> {
    fn drop(&mut self) {
        let _ = self.conn.pragma_update(None, "cache_size", -2000);
    }
}

fn progress(done: usize, total: usize, started: Instant) -> ImportProgress {
    let elapsed = started.elapsed().as_secs_f64();
    let rate = if elapsed > 0.0 {
        done as f64 / elapsed
    } else {
        0.0
    };
    ImportProgress {
        done: done as u32,
        total: total as u32,
        rows_per_second: rate,
        eta_seconds: if rate > 0.0 {
            (total - done) as f64 / rate
        } else {
            0.0
        },
    }
}

/// The table a file holds, and how it was read.
struct Source {
    format: String,
    encoding: Option<String>,
    sheet: Option<String>,
    sheets: Vec<String>,
    grid: Grid,
}

fn read_source(path: &Path, bytes: Vec<u8>, options: &ImportOptions) -> Result<Source> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile { path: path.into() });
    }
    let source = match sniff::kind(&bytes) {
        sniff::Kind::Zip | sniff::Kind::Ole => read_workbook(path, bytes, options)?,
        sniff::Kind::Text => read_text(path, bytes, options)?,
    };
    if source.grid.rows.is_empty() {
        return Err(Error::EmptyFile { path: path.into() });
    }
    Ok(source)
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
    let decoded = decoded.strip_prefix('\u{feff}').unwrap_or(&decoded);
    let grid = text::read(decoded, sniff::delimiter(decoded)).map_err(|e| match e {
        text::TextError::Malformed { line, message } => Error::Csv {
            path: path.into(),
            row: line.into(),
            message,
        },
        text::TextError::HugeCell { line } => Error::HugeCell {
            path: path.into(),
            message: format!(
                "line {line}: a cell holds more than {} characters",
                grid::MAX_CELL_CHARS
            ),
        },
    })?;
    Ok(Source {
        format: "csv".into(),
        encoding: Some(encoding.label()),
        sheet: None,
        sheets: Vec::new(),
        grid,
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
    let huge = |message| Error::HugeCell {
        path: path.into(),
        message,
    };
    let (name, grid) = match &options.sheet {
        Some(name) => {
            if !sheets.contains(name) {
                return Err(Error::NoSuchSheet {
                    name: name.clone(),
                    sheets,
                });
            }
            (
                name.clone(),
                sheet::read(&mut workbook, name).map_err(huge)?,
            )
        }
        None => {
            let mut found = None;
            for name in &sheets {
                let grid = sheet::read(&mut workbook, name).map_err(huge)?;
                if holds_table(&grid) {
                    found = Some((name.clone(), grid));
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
        grid,
    })
}

/// A sheet holds a table when it has a column of addresses; a cover sheet or a notes sheet
/// does not.
fn holds_table(grid: &Grid) -> bool {
    let first_data = mapping::header_row(grid).map_or(0, |h| h + 1);
    mapping::column_holding_addresses(grid, first_data).is_some()
}

/// Where the header is and which column goes to which field.
struct Layout {
    header: Option<usize>,
    columns: Vec<Column>,
    address: usize,
}

fn layout(path: &Path, grid: &Grid, options: &ImportOptions) -> Result<Layout> {
    let header = match options.header_row {
        Some(0) => None,
        Some(number) => Some(
            grid.rows
                .iter()
                .position(|r| r.number == number)
                .ok_or(Error::NoSuchRow(number))?,
        ),
        None => mapping::header_row(grid),
    };
    let mut columns = mapping::columns(grid, header);
    for choice in &options.mapping {
        let index =
            mapping::find_column(&columns, &choice.column).ok_or_else(|| Error::NoSuchColumn {
                name: choice.column.clone(),
                columns: columns.iter().map(|c| c.header.clone()).collect(),
            })?;
        mapping::assign(&mut columns, choice.field, index);
    }
    let first_data = header.map_or(0, |h| h + 1);
    let address = match columns.iter().position(|c| c.field == Some(Field::Email)) {
        Some(index) => index,
        None => {
            let index = mapping::column_holding_addresses(grid, first_data).ok_or_else(|| {
                Error::NoAddressColumn {
                    path: path.into(),
                    columns: columns.iter().map(|c| c.header.clone()).collect(),
                }
            })?;
            mapping::assign(&mut columns, Some(Field::Email), index);
            index
        }
    };
    Ok(Layout {
        header,
        columns,
        address,
    })
}

/// The data rows sorted into those to store, duplicates, invalid rows and warnings.
struct Rows {
    read: u32,
    accepted: Vec<Accepted>,
    duplicates: u32,
    invalid: Vec<InvalidRow>,
    warnings: Vec<RowWarning>,
}

/// Consumes the grid: each cell's text moves into the contact rather than being copied, which
/// matters at a million rows.
fn parse_rows(mut grid: Grid, layout: &Layout) -> Rows {
    let first_data = layout.header.map_or(0, |h| h + 1).min(grid.rows.len());
    let data = &mut grid.rows[first_data..];
    let mut rows = Rows {
        read: data.len() as u32,
        accepted: Vec::with_capacity(data.len()),
        duplicates: 0,
        invalid: Vec::new(),
        warnings: Vec::new(),
    };
    let mut seen = HashSet::with_capacity(data.len());
    let mut checker = address::Checker::default();
    for row in data {
        let raw = row.cell(layout.address);
        match checker.check(raw) {
            Err(reason) => rows.invalid.push(InvalidRow {
                row: row.number,
                value: raw.to_string(),
                reason: reason.to_string(),
                cells: std::mem::take(&mut row.cells),
            }),
            Ok(checked) if !seen.insert(checked.address.clone()) => rows.duplicates += 1,
            Ok(checked) => {
                rows.warnings
                    .extend(
                        checked
                            .warnings
                            .into_iter()
                            .map(|(kind, suggestion)| RowWarning {
                                row: row.number,
                                value: raw.to_string(),
                                kind,
                                suggestion,
                            }),
                    );
                rows.accepted
                    .push((row.number, checked.address, contact(row, &layout.columns)));
            }
        }
    }
    rows
}

/// The contact a row describes: mapped columns into their fields, the rest into custom fields
/// under their headers. A name made of 姓 and 名 columns is joined with a space.
fn contact(row: &mut grid::Row, columns: &[Column]) -> ContactFields {
    let mut contact = ContactFields::default();
    for column in columns {
        let Some(value) = row.cells.get_mut(column.index as usize).map(std::mem::take) else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let slot = match column.field {
            Some(Field::Email) => continue,
            Some(Field::Name) => &mut contact.name,
            Some(Field::LastName) => &mut contact.last_name,
            Some(Field::FirstName) => &mut contact.first_name,
            Some(Field::Kana) => &mut contact.kana,
            Some(Field::Company) => &mut contact.company,
            Some(Field::Department) => &mut contact.department,
            Some(Field::JobTitle) => &mut contact.job_title,
            Some(Field::Phone) => &mut contact.phone,
            None => {
                contact.fields.insert(column.header.clone(), value);
                continue;
            }
        };
        *slot = Some(value);
    }
    if contact.name.is_none() {
        let parts: Vec<&str> = [&contact.last_name, &contact.first_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if !parts.is_empty() {
            contact.name = Some(parts.join(" "));
        }
    }
    contact
}

/// Writes the rows that could not be imported as a CSV (UTF-8 with BOM, so Excel opens it
/// right) with the file's own columns and a last column saying why, to fix and import again.
pub fn save_problem_rows(report: &ImportReport, out: &Path) -> Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::from(b"\xEF\xBB\xBF".as_slice()));
    let mut header: Vec<&str> = report.columns.iter().map(|c| c.header.as_str()).collect();
    header.push("reason");
    let written = (|| {
        writer.write_record(&header)?;
        for bad in &report.invalid {
            let mut record = bad.cells.clone();
            record.resize(report.columns.len(), String::new());
            record.push(format!("row {}: {}", bad.row, bad.reason));
            writer.write_record(&record)?;
        }
        writer.into_inner().map_err(|e| e.into_error().into())
    })();
    let bytes = written.map_err(|e: csv::Error| Error::Csv {
        path: out.into(),
        row: 0,
        message: e.to_string(),
    })?;
    std::fs::write(out, bytes).map_err(Error::io(out))
}
