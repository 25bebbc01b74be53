//! Delimited text (CSV, TSV, Excel's "Unicode text") into a grid.

use super::grid::{MAX_CELL_CHARS, Row};

/// Why a text table could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Malformed { line: u32, message: String },
    HugeCell { line: u32 },
}

/// The non-blank rows of a delimited text, read one at a time.
pub struct Rows<'a> {
    bytes: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
    lines: LineCounter,
}

pub fn rows(text: &str, delimiter: u8) -> Rows<'_> {
    let bytes = text.as_bytes();
    Rows {
        bytes,
        reader: csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(bytes),
        record: csv::StringRecord::new(),
        lines: LineCounter::default(),
    }
}

impl Iterator for Rows<'_> {
    type Item = Result<Row, TextError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    return Some(Err(TextError::Malformed {
                        line: e
                            .position()
                            .map_or(0, |p| self.lines.at(self.bytes, p.byte())),
                        message: e.to_string(),
                    }));
                }
            }
            let offset = self.record.position().map_or(0, |p| p.byte());
            let line = self.lines.at(self.bytes, offset);
            // A cell has at least as many bytes as characters: most need no counting.
            let huge = |c: &str| c.len() > MAX_CELL_CHARS && c.chars().count() > MAX_CELL_CHARS;
            if self.record.iter().any(huge) {
                return Some(Err(TextError::HugeCell { line }));
            }
            let row = Row {
                number: line,
                cells: self.record.iter().map(|c| c.trim().to_string()).collect(),
            };
            if !row.is_blank() {
                return Some(Ok(row));
            }
        }
    }
}

/// About how many rows a text holds, for progress before it has been read: its line breaks.
pub fn estimated_rows(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
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

    fn read(text: &str, delimiter: u8) -> Result<Vec<Row>, TextError> {
        rows(text, delimiter).collect()
    }

    #[test]
    fn skips_blank_rows_and_numbers_rows_by_line() {
        let grid = read("email,name\n\n a@b.jp ,山田\n,\n", b',').unwrap();
        let numbers: Vec<u32> = grid.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 3]);
        assert_eq!(grid[1].cells, ["a@b.jp", "山田"]);
    }

    #[test]
    fn keeps_quoted_delimiters_and_line_breaks() {
        let grid = read("a\tb\n\"x\ty\"\t\"1\n2\"\nz\tw\n", b'\t').unwrap();
        assert_eq!(grid[1].cells, ["x\ty", "1\n2"]);
        assert_eq!(grid[2].number, 4);
    }

    #[test]
    fn refuses_huge_cells() {
        let text = format!("a\n{}\n", "x".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(read(&text, b','), Err(TextError::HugeCell { line: 2 }));
    }
}
