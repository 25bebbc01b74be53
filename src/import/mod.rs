//! Import: a contact file on disk becomes contacts in a list, in one transaction, with a report
//! of every row that could not be taken. Uses `contacts` and `store`; knows nothing of mail.

pub mod csv;
pub mod report;

use std::collections::HashSet;
use std::path::Path;

use crate::contacts::{self, ContactFields, Mode, Upsert};
use crate::error::{Error, Result};
use crate::store::Db;
pub use report::{ImportReport, InvalidRow};

/// Header names (compared case-insensitively, spaces and hyphens ignored) that mean "address".
const ADDRESS_HEADERS: &[&str] = &["email", "mail", "emailaddress", "メールアドレス", "メール"];
const NAME_HEADERS: &[&str] = &["name", "fullname", "氏名", "名前", "お名前"];

/// Imports `path` into the list `list` (created if new). Either every valid row is stored and
/// the report lists the rest, or — on an unreadable file — nothing changes.
pub fn import_file(db: &Db, path: &Path, list: &str) -> Result<ImportReport> {
    let list = list.trim();
    if list.is_empty() {
        return Err(Error::EmptyListName);
    }
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    let table = csv::read(path, &bytes)?;
    let address_col = find_column(&table.header, ADDRESS_HEADERS)
        .or_else(|| column_holding_addresses(&table))
        .ok_or_else(|| Error::NoAddressColumn {
            path: path.into(),
            columns: table.header.clone(),
        })?;
    let name_col = find_column(&table.header, NAME_HEADERS);

    let mut report = ImportReport {
        list: list.to_string(),
        rows: table.rows.len() as u32,
        ..ImportReport::default()
    };
    let mut seen = HashSet::new();
    let mut accepted = Vec::new();
    for (line, cells) in &table.rows {
        let raw = cells.get(address_col).map_or("", String::as_str);
        match contacts::address::normalize(raw) {
            Err(reason) => report.invalid.push(InvalidRow {
                row: *line,
                value: raw.to_string(),
                reason: reason.to_string(),
            }),
            Ok(address) if !seen.insert(address.clone()) => report.duplicates += 1,
            Ok(address) => {
                let name = name_col
                    .and_then(|c| cells.get(c))
                    .filter(|n| !n.is_empty())
                    .cloned();
                accepted.push((address, name));
            }
        }
    }
    if accepted.is_empty() {
        return Err(Error::NoValidRows { path: path.into() });
    }

    let now = db.now();
    db.with_tx(|tx| {
        let list_id = contacts::ensure_list(tx, list, &now)?;
        for (address, name) in &accepted {
            let given = ContactFields {
                name: name.clone(),
                ..ContactFields::default()
            };
            let (id, outcome) = contacts::upsert(tx, address, &given, Mode::Upsert, &now)?;
            match outcome {
                Upsert::New => report.imported += 1,
                Upsert::Updated => report.updated += 1,
                Upsert::Unchanged | Upsert::Skipped => {}
            }
            if let Some(id) = id {
                contacts::add_to_list(tx, list_id, id)?;
            }
        }
        Ok(())
    })?;
    Ok(report)
}

fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    let key = |h: &str| h.to_lowercase().replace([' ', '-', '_', '　'], "");
    header.iter().position(|h| names.contains(&key(h).as_str()))
}

/// Without a recognised header, the address column is the one whose cells most often look
/// like addresses (an `@` in at least half of the rows).
fn column_holding_addresses(table: &csv::Table) -> Option<usize> {
    let width = table.header.len();
    let counts = (0..width).map(|c| {
        let hits = table
            .rows
            .iter()
            .filter(|(_, cells)| {
                cells
                    .get(c)
                    .is_some_and(|v| v.contains('@') || v.contains('＠'))
            })
            .count();
        (c, hits)
    });
    counts
        .filter(|&(_, hits)| hits * 2 >= table.rows.len() && hits > 0)
        .max_by_key(|&(_, hits)| hits)
        .map(|(c, _)| c)
}
