//! From a table's rows to contacts: where the header is, which column holds what, and then each
//! data row checked — its address normalised, duplicates and invalid rows set aside — and
//! handed on in batches while the rest of the file is still being read.

use std::collections::HashSet;
use std::path::Path;

use super::grid::{self, Grid, Row};
use super::mapping::{self, Column, Field};
use super::source::{self, Source};
use super::{HeadRow, ImportOptions, ImportReport, InvalidRow, PreviewRow, RowWarning};
use crate::contacts::{ContactFields, Incoming, address};
use crate::error::{Error, Result};

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 20;
/// Rows of the file shown for choosing the header row.
const HEAD_ROWS: usize = 12;
/// Accepted rows per batch handed on.
const BATCH_ROWS: usize = 2_000;

/// A row to store: its number in the file and the contact it holds.
pub type Accepted = (u32, Incoming);

/// Accepted rows, and how far through the table they come from.
pub struct Batch {
    pub rows: Vec<Accepted>,
    /// Data rows read so far, whatever became of them.
    pub read: u32,
    /// About how many data rows the table holds (at least `read`).
    pub total: u32,
}

/// Reads the source's rows, checks each and gives the accepted ones to `take` in batches, in
/// file order. Returns the report with everything but what storing tells (the counts of new,
/// updated, unchanged and skipped contacts). `path` only names the file in messages.
pub fn scan(
    path: &Path,
    source: &Source,
    options: &ImportOptions,
    mut take: impl FnMut(Batch) -> Result<()>,
) -> Result<ImportReport> {
    let mut rows = source.table.rows(path);
    let sample = source::sample(&mut rows)?;
    if sample.rows.is_empty() {
        return Err(Error::EmptyFile { path: path.into() });
    }
    let layout = layout(path, &sample, options)?;
    let first_data = layout.header.map_or(0, |h| h + 1);
    // The rows above the data (title and header) are not counted.
    let estimate = source.table.estimated_rows().saturating_sub(first_data);
    let head = sample
        .rows
        .iter()
        .take(HEAD_ROWS)
        .map(|r| HeadRow {
            row: r.number,
            cells: r.cells.clone(),
        })
        .collect();
    let header_row = layout.header.map(|h| sample.rows[h].number);
    let mut checks = Checks::new(layout, estimate);
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    for row in sample.rows.into_iter().skip(first_data).map(Ok).chain(rows) {
        if let Some(accepted) = checks.row(row?) {
            batch.push(accepted);
        }
        if batch.len() == BATCH_ROWS {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            take(checks.batch(full, estimate))?;
        }
    }
    if checks.accepted == 0 {
        return Err(Error::NoValidRows { path: path.into() });
    }
    // The last batch: now the total is known.
    take(checks.batch(batch, 0))?;
    Ok(ImportReport {
        format: source.format.clone(),
        encoding: source.encoding.clone(),
        sheet: source.sheet.clone(),
        sheets: source.sheets.clone(),
        header_row,
        head,
        preview: checks.preview,
        columns: checks.layout.columns,
        rows: checks.read,
        duplicates: checks.duplicates,
        invalid: checks.invalid,
        warnings: checks.warnings,
        mode: options.mode,
        dry_run: options.dry_run,
        ..ImportReport::default()
    })
}

/// Where the header is and which column goes to which field.
struct Layout {
    header: Option<usize>,
    columns: Vec<Column>,
    address: usize,
}

/// Finds the layout in the table's first rows, with the user's choices applied.
fn layout(path: &Path, sample: &Grid, options: &ImportOptions) -> Result<Layout> {
    let header = match options.header_row {
        Some(0) => None,
        Some(number) => Some(
            sample
                .rows
                .iter()
                .position(|r| r.number == number)
                .ok_or(Error::NoSuchRow(number))?,
        ),
        None => mapping::header_row(sample),
    };
    let mut columns = mapping::columns(sample, header);
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
            let index = mapping::column_holding_addresses(sample, first_data).ok_or_else(|| {
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

/// What checking the data rows has found so far.
struct Checks {
    layout: Layout,
    checker: address::Checker,
    seen: HashSet<String, foldhash::fast::RandomState>,
    read: u32,
    accepted: u32,
    duplicates: u32,
    invalid: Vec<InvalidRow>,
    warnings: Vec<RowWarning>,
    preview: Vec<PreviewRow>,
}

impl Checks {
    /// `rows`: about how many rows are coming.
    fn new(layout: Layout, rows: usize) -> Checks {
        Checks {
            layout,
            checker: address::Checker::default(),
            seen: HashSet::with_capacity_and_hasher(rows, Default::default()),
            read: 0,
            accepted: 0,
            duplicates: 0,
            invalid: Vec::new(),
            warnings: Vec::new(),
            preview: Vec::new(),
        }
    }

    /// Checks one data row; the row to store, unless it is invalid or a duplicate. Its cells'
    /// text moves into the contact rather than being copied.
    fn row(&mut self, mut row: Row) -> Option<Accepted> {
        self.read += 1;
        // A row wider than the first rows brings columns of its own, kept as custom fields.
        let used = row
            .cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        mapping::widen(&mut self.layout.columns, used);
        let raw = row.cell(self.layout.address);
        let checked = match self.checker.check(raw) {
            Err(reason) => {
                self.invalid.push(InvalidRow {
                    row: row.number,
                    value: raw.to_string(),
                    reason,
                    cells: row.cells,
                });
                return None;
            }
            Ok(checked) => checked,
        };
        if !self.seen.insert(checked.address.clone()) {
            self.duplicates += 1;
            return None;
        }
        self.warnings.extend(
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
        let contact = contact(&mut row, &self.layout.columns);
        self.accepted += 1;
        if self.preview.len() < PREVIEW_ROWS {
            self.preview.push(PreviewRow {
                row: row.number,
                address: checked.address.clone(),
                contact: contact.clone(),
            });
        }
        Some((row.number, Incoming::new(checked.address, contact)))
    }

    fn batch(&self, rows: Vec<Accepted>, estimate: usize) -> Batch {
        Batch {
            rows,
            read: self.read,
            total: self.read.max(estimate as u32),
        }
    }
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
