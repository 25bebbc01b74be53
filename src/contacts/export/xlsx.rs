//! XLSX export: one sheet, a bold frozen header, every value a string cell so nothing a
//! contact holds is ever read as a formula or reshaped as a number or date.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::Table;
use crate::error::{Error, Result};

fn xlsx_error(e: XlsxError) -> Error {
    Error::Xlsx(e.to_string())
}

/// Names the row, because the usual cause is one value too long for a cell.
fn row_error(row: u32) -> impl FnOnce(XlsxError) -> Error {
    move |e| Error::Xlsx(format!("row {}: {e}", row + 1))
}

pub(super) fn write(table: &Table) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Contacts").map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    for (column, name) in table.header.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, name, &bold)
            .map_err(row_error(0))?;
    }
    for (row, cells) in (1..).zip(&table.rows) {
        for (column, cell) in cells.iter().enumerate() {
            sheet
                .write_string(row, column as u16, cell)
                .map_err(row_error(row))?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    workbook.save_to_buffer().map_err(xlsx_error)
}
