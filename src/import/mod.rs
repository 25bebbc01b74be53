//! Import: a contact file on disk — a workbook or delimited text in any common encoding —
//! becomes contacts, in one transaction, with a report of every row that could not be taken
//! and every row worth a second look. Uses `contacts` and `store`; knows nothing of mail.

pub mod grid;
pub mod mapping;
pub mod report;
pub mod scan;
pub mod sheet;
pub mod sniff;
pub mod source;
pub mod text;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use rusqlite::Transaction;

use crate::contacts::{self, Upsert};
use crate::error::{Error, Result};
use crate::store::Db;
pub use report::{
    HeadRow, ImportOptions, ImportProgress, ImportReport, InvalidRow, MapColumn, PreviewRow,
    RowWarning,
};
pub use scan::Accepted;
use scan::Batch;

/// Batches read ahead of the database while it is busy storing.
const BATCHES_AHEAD: usize = 4;

/// Reads, checks and imports `path` as `options` say. On any error, or when cancelled, or in
/// a dry run, the database is left exactly as it was.
///
/// Reading and checking run on a thread of their own, a few batches ahead of the database,
/// so a large file takes about as long as storing its rows.
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
    let source = source::read(path, bytes, options)?;
    let now = db.now();
    let save = |tx: &Transaction| {
        let list_id = list
            .as_deref()
            .map(|l| contacts::ensure_list(tx, l, &now))
            .transpose()?;
        let mut writer = contacts::Writer::new(tx, &now, list_id)?;
        std::thread::scope(|scope| {
            let (send, receive) = mpsc::sync_channel(BATCHES_AHEAD);
            // Stored batches go back to be freed on the thread that made them: mimalloc frees
            // memory of another thread far more slowly than its own.
            let (give_back, spent) = mpsc::channel::<Batch>();
            let reader = scope.spawn(move || {
                scan::scan(path, &source, options, |batch| {
                    spent.try_iter().for_each(drop);
                    // The receiver is gone only when storing stopped, which has its own error.
                    send.send(batch).map_err(|_| Error::Cancelled)
                })
            });
            let stored = store(
                &mut writer,
                options.mode,
                receive,
                &give_back,
                &mut on_progress,
                cancel,
            );
            let read = reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let counts = stored?;
            writer.finish()?;
            let mut report = read?;
            report.imported = counts.imported;
            report.updated = counts.updated;
            report.unchanged = counts.unchanged;
            report.skipped = counts.skipped;
            Ok(report)
        })
    };
    let mut report = if options.dry_run {
        db.trial(save)?
    } else {
        db.with_tx(save)?
    };
    report.list = list;
    Ok(report)
}

/// What storing did to the contacts.
#[derive(Default)]
struct Counts {
    imported: u32,
    updated: u32,
    unchanged: u32,
    skipped: u32,
}

/// Stores every batch as it arrives, until the reader has no more. Takes the receiver so that
/// stopping early (an error, or cancelling) closes it and the reader stops too.
fn store(
    writer: &mut contacts::Writer,
    mode: contacts::Mode,
    batches: mpsc::Receiver<Batch>,
    give_back: &mpsc::Sender<Batch>,
    on_progress: &mut impl FnMut(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<Counts> {
    let mut counts = Counts::default();
    let started = Instant::now();
    for batch in batches {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        for (_, contact) in &batch.rows {
            match writer.upsert(contact, mode)? {
                Upsert::New => counts.imported += 1,
                Upsert::Updated => counts.updated += 1,
                Upsert::Unchanged => counts.unchanged += 1,
                Upsert::Skipped => counts.skipped += 1,
            }
        }
        on_progress(&progress(batch.read, batch.total, started));
        // The reader may have finished; then the batch is freed here.
        let _ = give_back.send(batch);
    }
    Ok(counts)
}

/// Reads and checks a file's bytes as `options` say, without touching the database: the
/// report (all but the counts only saving can tell) and the rows to store. `path` only names
/// the file in messages.
pub fn parse(
    path: &Path,
    bytes: Vec<u8>,
    options: &ImportOptions,
) -> Result<(ImportReport, Vec<Accepted>)> {
    let source = source::read(path, bytes, options)?;
    let mut accepted = Vec::new();
    let report = scan::scan(path, &source, options, |batch| {
        accepted.extend(batch.rows);
        Ok(())
    })?;
    Ok((report, accepted))
}

fn progress(done: u32, total: u32, started: Instant) -> ImportProgress {
    let elapsed = started.elapsed().as_secs_f64();
    let rate = if elapsed > 0.0 {
        f64::from(done) / elapsed
    } else {
        0.0
    };
    ImportProgress {
        done,
        total,
        rows_per_second: rate,
        eta_seconds: if rate > 0.0 {
            f64::from(total - done) / rate
        } else {
            0.0
        },
    }
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
