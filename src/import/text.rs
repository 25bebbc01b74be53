//! Delimited text (CSV, TSV, Excel's "Unicode text") into a grid.

use super::grid::{Grid, MAX_CELL_CHARS, Row};

/// Why a text table could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Malformed { line: u32, message: String },
    HugeCell { line: u32 },
}

pub fn read(text: &str, delimiter: u8) -> Result<Grid, TextError> {
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = record.map_err(|e| TextError::Malformed {
            line: e.position().map_or(0, |p| lines.at(bytes, p.byte())),
            message: e.to_string(),
        })?;
        let line = lines.at(bytes, record.position().map_or(0, |p| p.byte()));
        if record.iter().any(|c| c.chars().count() > MAX_CELL_CHARS) {
            return Err(TextError::HugeCell { line });
        }
        let row = Row {
            number: line,
            cells: record.iter().map(|c| c.trim().to_string()).collect(),
        };
        if !row.is_blank() {
            rows.push(row);
        }
    }
    Ok(Grid { rows })
}

/// Line numbers of records, counted from the bytes because the csv reader's positions include
/// the blank lines it skipped, and the user needs the number their editor shows. Counting
/// resumes where the previous record left off, so a file is scanned once.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u32,
}

impl LineCounter {
    /// The 1-based line where the record at `offset` starts; offsets only grow.
    fn at(&mut self, bytes: &[u8], offset: u64) -> u32 {
        let mut end = (offset as usize).min(bytes.len());
        while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
            end += 1;
        }
        if end > self.offset {
            self.newlines += bytes[self.offset..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32;
            self.offset = end;
        }
        self.newlines + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_blank_rows_and_numbers_rows_by_line() {
        let grid = read("email,name\n\n a@b.jp ,山田\n,\n", b',').unwrap();
        let numbers: Vec<u32> = grid.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 3]);
        assert_eq!(grid.rows[1].cells, ["a@b.jp", "山田"]);
    }

    #[test]
    fn keeps_quoted_delimiters_and_line_breaks() {
        let grid = read("a\tb\n\"x\ty\"\t\"1\n2\"\nz\tw\n", b'\t').unwrap();
        assert_eq!(grid.rows[1].cells, ["x\ty", "1\n2"]);
        assert_eq!(grid.rows[2].number, 4);
    }

    #[test]
    fn refuses_huge_cells() {
        let text = format!("a\n{}\n", "x".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(read(&text, b','), Err(TextError::HugeCell { line: 2 }));
    }
}
