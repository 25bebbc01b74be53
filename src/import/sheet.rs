//! Workbooks (xlsx, xlsm, xlsb, xls, ods) into a grid, with each value as Excel shows it.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Sheets};

use super::grid::{MAX_CELL_CHARS, Row};

pub type Workbook = Sheets<Cursor<Vec<u8>>>;

/// Opens a workbook from its bytes, whatever its format; `None` when it is not one.
pub fn open(bytes: Vec<u8>) -> Option<Workbook> {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).ok()
}

/// Reads one sheet's cells.
pub fn read(workbook: &mut Workbook, sheet: &str) -> Result<Range<Data>, String> {
    workbook.worksheet_range(sheet).map_err(|e| e.to_string())
}

/// The non-blank rows of a sheet, numbered as the spreadsheet numbers them. `Err` carries the
/// row of a cell over Excel's size limit.
pub fn rows(range: &Range<Data>) -> impl Iterator<Item = Result<Row, String>> + '_ {
    let first_row = range.start().map_or(0, |(row, _)| row);
    let first_col = range.start().map_or(0, |(_, col)| col) as usize;
    range.rows().enumerate().filter_map(move |(i, cells)| {
        let number = first_row + i as u32 + 1;
        let mut values: Vec<String> = vec![String::new(); first_col];
        for cell in cells {
            let value = shown(cell);
            if value.chars().count() > MAX_CELL_CHARS {
                return Some(Err(format!(
                    "row {number}: a cell holds more than {MAX_CELL_CHARS} characters"
                )));
            }
            values.push(value);
        }
        let row = Row {
            number,
            cells: values,
        };
        (!row.is_blank()).then_some(Ok(row))
    })
}

/// A cell's value as the user sees it in Excel: dates as ISO dates, whole numbers without
/// ".0", formulas as their cached result, hyperlinks as their text.
pub fn shown(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn shows_values_as_excel_does() {
        let date = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(shown(&Data::Float(42.0)), "42");
        assert_eq!(shown(&Data::Float(0.5)), "0.5");
        assert_eq!(shown(&Data::Int(-3)), "-3");
        assert_eq!(shown(&date(46353.0)), "2026-11-27");
        assert_eq!(shown(&date(46353.5)), "2026-11-27 12:00:00");
        assert_eq!(shown(&Data::String(" 山田 ".into())), "山田");
    }
}
