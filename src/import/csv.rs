//! Reading a delimited text file into a header and string rows.

use std::path::Path;

use crate::error::{Error, Result};

/// A table as read from a file: the header row and the data rows, each with its line number.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a UTF-8 CSV (with or without a byte-order mark). The first non-blank row is the header.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Table> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile { path: path.into() });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = line_at(bytes, record.position().map_or(0, |p| p.byte()));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match header {
            None => header = Some(cells),
            Some(_) => rows.push((line, cells)),
        }
    }
    let header = header.ok_or_else(|| Error::EmptyFile { path: path.into() })?;
    Ok(Table { header, rows })
}

/// The 1-based line where a record starts. Counted from the bytes because the csv reader's
/// positions include the blank lines it skipped, and the user needs the number their editor
/// shows.
fn line_at(bytes: &[u8], offset: u64) -> u32 {
    let mut end = (offset as usize).min(bytes.len());
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
    }
    bytes[..end].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => Error::NotUtf8 {
            path: path.into(),
            line,
        },
        _ => Error::Csv {
            path: path.into(),
            row: line,
            message: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_bom_and_blank_rows_and_numbers_rows_by_line() {
        let t = read(
            Path::new("x.csv"),
            "\u{feff}email,name\n\n a@b.jp ,山田\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.header, ["email", "name"]);
        assert_eq!(
            t.rows,
            [(3, vec!["a@b.jp".to_string(), "山田".to_string()])]
        );
    }

    #[test]
    fn rejects_empty_and_non_utf8_files() {
        assert!(matches!(
            read(Path::new("x"), b" \n"),
            Err(Error::EmptyFile { .. })
        ));
        assert!(matches!(
            read(Path::new("x"), b"email\n\x82\xa0@b.jp\n"),
            Err(Error::NotUtf8 { line: 2, .. })
        ));
    }
}
