//! A table as read from any file: rows of text cells, each row numbered as the user's editor or
//! spreadsheet shows it.

/// Excel's own limit for one cell; a longer value means the file is not what it claims to be.
pub const MAX_CELL_CHARS: usize = 32_767;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<String>,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }

    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    /// Non-blank rows only, in file order.
    pub rows: Vec<Row>,
}

impl Grid {
    /// The widest row, so every column is accounted for even when rows are ragged.
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
    }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_columns_like_a_spreadsheet() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 701, 702].map(column_letter).into();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    }
}
