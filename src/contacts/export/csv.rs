//! CSV export: Excel's dialect (CRLF, quotes where needed), UTF-8 with a BOM or CP932, and
//! formula injection neutralised by an apostrophe that spreadsheets hide.

use std::borrow::Cow;

use super::{CsvEncoding, Table};
use crate::error::{Error, Result};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Cells that a spreadsheet would run as a formula (= + - @) or that start with a character
/// some read as one (tab, CR) get a leading apostrophe, which Excel shows as "text".
fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// JIS characters that Unicode spells twice: text typed on a Mac or taken from the web has the
/// first spelling, CP932 holds only the second. They are the same character to a Japanese
/// reader, and Excel makes the same substitution when it saves CP932.
fn cp932_spelling(ch: char) -> char {
    match ch {
        '\u{301C}' => '\u{FF5E}', // 〜 wave dash → ～
        '\u{2016}' => '\u{2225}', // ‖ → ∥
        '\u{00A2}' => '\u{FFE0}', // ¢ → ￠
        '\u{00A3}' => '\u{FFE1}', // £ → ￡
        '\u{00AC}' => '\u{FFE2}', // ¬ → ￢
        '\u{2014}' => '\u{2015}', // — em dash → ―
        other => other,
    }
}

fn cell_text(cell: &str, encoding: CsvEncoding) -> String {
    let cell = neutralise(cell);
    match encoding {
        CsvEncoding::Utf8 => cell.into_owned(),
        CsvEncoding::Cp932 => cell.chars().map(cp932_spelling).collect(),
    }
}

fn cp932_holds(ch: char) -> bool {
    !encoding_rs::SHIFT_JIS.encode(ch.encode_utf8(&mut [0; 4])).2
}

/// The first cell CP932 cannot hold, as an error naming its row, contact and column.
fn unencodable(table: &Table) -> Error {
    table
        .numbered()
        .find_map(|(row, cells)| {
            cells.iter().enumerate().find_map(|(column, cell)| {
                let character = cell_text(cell, CsvEncoding::Cp932)
                    .chars()
                    .find(|&ch| !cp932_holds(ch))?;
                Some(Error::Unencodable {
                    row,
                    contact: if row == 1 {
                        "header".to_string()
                    } else {
                        cells[0].clone()
                    },
                    column: table.header[column].clone(),
                    character,
                })
            })
        })
        .expect("the encoder reported a character it cannot hold")
}

pub(super) fn write(table: &Table, encoding: CsvEncoding) -> Result<Vec<u8>> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for (_, cells) in table.numbered() {
        out.write_record(cells.iter().map(|cell| cell_text(cell, encoding)))
            .expect("writing to memory cannot fail");
    }
    let utf8 = out.into_inner().expect("writing to memory cannot fail");
    match encoding {
        CsvEncoding::Utf8 => Ok([BOM, &utf8].concat()),
        CsvEncoding::Cp932 => {
            let text = String::from_utf8(utf8).expect("the cells are strings");
            let (bytes, _, lossy) = encoding_rs::SHIFT_JIS.encode(&text);
            if lossy {
                return Err(unencodable(table));
            }
            Ok(bytes.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_an_apostrophe_and_nothing_else_does() {
        for cell in ["=1+1", "+81-3", "-5", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        for cell in ["山田", "a=b", "", " =1", "03-1234"] {
            assert_eq!(neutralise(cell), cell);
        }
    }

    #[test]
    fn the_second_spellings_are_what_cp932_holds() {
        for ch in [
            '\u{301C}', '\u{2016}', '\u{00A2}', '\u{00A3}', '\u{00AC}', '\u{2014}',
        ] {
            assert!(!cp932_holds(ch), "{ch} is not CP932");
            assert!(cp932_holds(cp932_spelling(ch)), "{ch} has a CP932 spelling");
        }
        for ch in ['①', '㈱', '髙', '～', 'ｱ', '¥'] {
            assert!(cp932_holds(ch), "{ch}");
        }
        assert!(!cp932_holds('𠮷'));
    }
}
