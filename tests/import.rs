//! Importing contact files of every kind an office has: each format and encoding against a
//! golden report, header and column choices, modes, dry runs, cancelling, and bad input that
//! must change nothing.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use common::{Workspace, golden};
use encoding_rs::{EUC_JP, SHIFT_JIS};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Url, Workbook};
use shisa::contacts::{self, Mode};
use shisa::import::mapping::Field;
use shisa::import::{self, ImportOptions, ImportReport, MapColumn};
use shisa::{Error, Result};

const JAPANESE_ROWS: &str = "氏名,メールアドレス,会社名,備考\r\n\
    山田 太郎,yamada@example.jp,㈱サンプル,会員番号①\r\n\
    髙橋 一郎,ｔａｋａｈａｓｈｉ＠Ｅｘａｍｐｌｅ．ｊｐ,髙島屋～本店,\r\n\
    佐藤 花子,sato@gmial.com,,\r\n\
    窓口,info@example.jp,,\r\n\
    壊れた行,not-an-address,,\r\n\
    山田 重複,YAMADA@example.jp,,\r\n";

fn options(list: &str) -> ImportOptions {
    ImportOptions {
        list: Some(list.to_string()),
        ..ImportOptions::default()
    }
}

fn run(ws: &Workspace, path: &Path, options: &ImportOptions) -> Result<ImportReport> {
    import::import_file(&ws.db, path, options, |_| {}, &AtomicBool::new(false))
}

fn check_golden(name: &str, report: &ImportReport) {
    golden(
        &format!("import/{name}.json"),
        &(serde_json::to_string_pretty(report).unwrap() + "\n"),
    );
}

#[test]
fn cp932_csv_keeps_every_character() {
    let ws = Workspace::new();
    let file = ws.file("cp932.csv", SHIFT_JIS.encode(JAPANESE_ROWS).0);
    let report = run(&ws, &file, &options("顧客")).unwrap();
    check_golden("cp932", &report);
    let stored = contacts::contacts_of(&ws.db, "顧客").unwrap();
    let takahashi = stored
        .iter()
        .find(|c| c.address == "takahashi@example.jp")
        .unwrap();
    assert_eq!(takahashi.name.as_deref(), Some("髙橋 一郎"));
}

#[test]
fn euc_jp_and_utf8_with_bom_read_the_same() {
    for (name, bytes) in [
        ("euc-jp", EUC_JP.encode(JAPANESE_ROWS).0.into_owned()),
        (
            "utf8-bom",
            [b"\xEF\xBB\xBF".as_slice(), JAPANESE_ROWS.as_bytes()].concat(),
        ),
    ] {
        let ws = Workspace::new();
        let report = run(
            &ws,
            &ws.file(&format!("{name}.csv"), bytes),
            &options("顧客"),
        )
        .unwrap();
        check_golden(name, &report);
    }
}

#[test]
fn excel_unicode_text_is_utf16le_with_tabs() {
    let ws = Workspace::new();
    let text = JAPANESE_ROWS.replace(',', "\t");
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let report = run(&ws, &ws.file("unicode.txt", bytes), &options("顧客")).unwrap();
    check_golden("utf16le", &report);
}

/// A workbook as offices keep them: a cover sheet first, then a sheet with a title row, a
/// blank row, the header, and dates, hyperlinks, whole numbers and formulas in the data.
fn office_workbook(ws: &Workspace) -> PathBuf {
    let mut book = Workbook::new();
    let cover = book.add_worksheet().set_name("表紙").unwrap();
    cover.write(0, 0, "お客様名簿").unwrap();
    cover.write(2, 0, "取扱注意").unwrap();
    let sheet = book.add_worksheet().set_name("名簿").unwrap();
    sheet.write(0, 0, "顧客名簿 2026年11月現在").unwrap();
    let header = [
        "No.",
        "姓",
        "名",
        "フリガナ",
        "会社名",
        "メールアドレス",
        "登録日",
        "Webサイト",
        "氏名",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy/mm/dd");
    let people = [
        (
            "山田",
            "太郎",
            "ヤマダ タロウ",
            "株式会社サンプル",
            "yamada@example.co.jp",
            (2024, 4, 1),
        ),
        (
            "鈴木",
            "花子",
            "スズキ ハナコ",
            "合同会社テスト",
            "hanako.@docomo.ne.jp",
            (2025, 12, 24),
        ),
    ];
    for (i, (last, first, kana, company, mail, (y, m, d))) in people.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write(r, 0, (i + 1) as f64).unwrap();
        sheet.write(r, 1, *last).unwrap();
        sheet.write(r, 2, *first).unwrap();
        sheet.write(r, 3, *kana).unwrap();
        sheet.write(r, 4, *company).unwrap();
        sheet.write(r, 5, *mail).unwrap();
        let when = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
        sheet
            .write_datetime_with_format(r, 6, &when, &date)
            .unwrap();
        sheet
            .write_url(r, 7, Url::new("https://example.jp/").set_text("会社サイト"))
            .unwrap();
        let formula = Formula::new(format!("=B{}&\" \"&C{}", r + 1, r + 1))
            .set_result(format!("{last} {first}"));
        sheet.write_formula(r, 8, formula).unwrap();
    }
    let path = ws.dir.path().join("名簿.xlsx");
    book.save(&path).unwrap();
    path
}

#[test]
fn a_workbook_with_a_cover_sheet_a_title_row_dates_links_and_formulas() {
    let ws = Workspace::new();
    let report = run(&ws, &office_workbook(&ws), &options("顧客")).unwrap();
    check_golden("workbook", &report);
    assert_eq!(
        (report.sheet.as_deref(), report.header_row),
        (Some("名簿"), Some(3))
    );
    let stored = contacts::contacts_of(&ws.db, "顧客").unwrap();
    assert_eq!(stored.len(), 2);
}

#[test]
fn the_user_can_pick_the_sheet_the_header_row_and_a_column() {
    let ws = Workspace::new();
    let book = office_workbook(&ws);
    let mut choice = options("L");
    choice.sheet = Some("表紙".into());
    assert!(matches!(
        run(&ws, &book, &choice),
        Err(Error::NoAddressColumn { .. })
    ));
    choice.sheet = Some("ない".into());
    assert!(matches!(
        run(&ws, &book, &choice),
        Err(Error::NoSuchSheet { .. })
    ));

    let csv = ws.file("c.csv", "名簿\n区分,連絡先,担当\n法人,a@x.jp,青木\n");
    let mut choice = options("L");
    choice.header_row = Some(2);
    choice.mapping = vec![
        MapColumn {
            field: Some(Field::Name),
            column: "担当".into(),
        },
        MapColumn {
            field: None,
            column: "A".into(),
        },
    ];
    choice.dry_run = true;
    let report = run(&ws, &csv, &choice).unwrap();
    assert_eq!(report.preview[0].contact.name.as_deref(), Some("青木"));
    assert_eq!(report.preview[0].contact.fields["区分"], "法人");
    assert_eq!(report.head[0].cells, ["名簿"]);
    assert_eq!((report.head[1].row, report.head.len()), (2, 3));
    choice.mapping[0].column = "Z".into();
    assert!(matches!(
        run(&ws, &csv, &choice),
        Err(Error::NoSuchColumn { .. })
    ));
    choice.header_row = Some(9);
    assert!(matches!(run(&ws, &csv, &choice), Err(Error::NoSuchRow(9))));
}

#[test]
fn modes_decide_what_happens_to_known_contacts() {
    let ws = Workspace::new();
    run(
        &ws,
        &ws.file("a.csv", "email,name\na@x.jp,旧\n"),
        &options("L"),
    )
    .unwrap();
    let file = ws.file("b.csv", "email,name\na@x.jp,新\nb@x.jp,別\n");
    let mut choice = options("L");
    choice.mode = Mode::Add;
    let added = run(&ws, &file, &choice).unwrap();
    assert_eq!((added.imported, added.updated, added.skipped), (1, 0, 1));
    choice.mode = Mode::Update;
    let updated = run(
        &ws,
        &ws.file("c.csv", "email,name\na@x.jp,新\nc@x.jp,C\n"),
        &choice,
    )
    .unwrap();
    assert_eq!(
        (updated.imported, updated.updated, updated.skipped),
        (0, 1, 1)
    );
    choice.mode = Mode::Upsert;
    let again = run(&ws, &file, &choice).unwrap();
    assert_eq!((again.imported, again.updated, again.unchanged), (0, 0, 2));
    let names: Vec<_> = contacts::contacts_of(&ws.db, "L")
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, [Some("新".to_string()), Some("別".to_string())]);
}

#[test]
fn a_dry_run_and_a_cancelled_import_change_nothing() {
    let ws = Workspace::new();
    let file = ws.file("a.csv", "email\na@x.jp\nb@x.jp\n");
    let mut choice = options("L");
    choice.dry_run = true;
    let report = run(&ws, &file, &choice).unwrap();
    assert_eq!(report.imported, 2);
    let cancelled =
        import::import_file(&ws.db, &file, &options("L"), |_| {}, &AtomicBool::new(true));
    assert!(matches!(cancelled, Err(Error::Cancelled)));
    assert!(contacts::lists(&ws.db).unwrap().is_empty());
}

#[test]
fn progress_reaches_the_total() {
    let ws = Workspace::new();
    let rows: String = (0..5000).map(|i| format!("p{i}@example.jp\n")).collect();
    let file = ws.file("big.csv", format!("email\n{rows}"));
    let mut seen = Vec::new();
    import::import_file(
        &ws.db,
        &file,
        &options("L"),
        |p| seen.push(p.clone()),
        &AtomicBool::new(false),
    )
    .unwrap();
    // Known from the start: the file's lines less its header.
    assert!(seen.iter().all(|p| p.total == 5000), "{seen:?}");
    let last = seen.last().unwrap();
    assert_eq!(last.done, 5000);
    assert!(seen.len() >= 3);
}

/// Ten thousand rows: far more than the first rows the layout is found from, and read while
/// earlier ones are already being stored.
fn long_rows() -> String {
    (0..10_000)
        .map(|i| format!("p{i}@example.jp,名{i}\n"))
        .collect()
}

fn count_contacts(ws: &Workspace) -> i64 {
    let conn = ws.db.conn().unwrap();
    conn.query_row("SELECT COUNT(*) FROM contacts", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_fault_or_a_cancel_late_in_a_long_file_changes_nothing() {
    let ws = Workspace::new();
    let huge = format!("z@example.jp,{}\n", "x".repeat(40_000));
    let faulty = ws.file("late.csv", format!("email,name\n{}{huge}", long_rows()));
    let err = run(&ws, &faulty, &options("L")).unwrap_err();
    assert!(err.to_string().contains("line 10002"), "{err}");

    let file = ws.file("long.csv", format!("email,name\n{}", long_rows()));
    let cancel = AtomicBool::new(false);
    let mut batches = 0;
    let cancelled = import::import_file(
        &ws.db,
        &file,
        &options("L"),
        |_| {
            batches += 1;
            cancel.store(true, Ordering::Relaxed);
        },
        &cancel,
    );
    assert!(matches!(cancelled, Err(Error::Cancelled)));
    assert_eq!(batches, 1, "stopped after the batch being stored");
    assert!(contacts::lists(&ws.db).unwrap().is_empty());
    assert_eq!(count_contacts(&ws), 0);
}

#[test]
fn a_row_wider_than_those_above_keeps_its_extra_cells() {
    let ws = Workspace::new();
    let file = ws.file(
        "wide.csv",
        format!("email,name\n{}w@example.jp,幅,追加の値,,\n", long_rows()),
    );
    let report = run(&ws, &file, &options("L")).unwrap();
    let headers: Vec<&str> = report.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, ["email", "name", "C"]);
    let conn = ws.db.conn().unwrap();
    let fields: String = conn
        .query_row(
            "SELECT fields FROM contacts WHERE address = 'w@example.jp'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fields, r#"{"C":"追加の値"}"#);
}

#[test]
fn known_and_new_contacts_both_join_the_import_list() {
    let ws = Workspace::new();
    run(
        &ws,
        &ws.file("a.csv", "email\na@x.jp\nb@x.jp\n"),
        &options("L1"),
    )
    .unwrap();
    let mut add_only = options("L2");
    add_only.mode = Mode::Add;
    let report = run(&ws, &ws.file("b.csv", "email\nb@x.jp\nc@x.jp\n"), &add_only).unwrap();
    assert_eq!((report.imported, report.skipped), (1, 1));
    let members = |list| -> Vec<String> {
        contacts::contacts_of(&ws.db, list)
            .unwrap()
            .into_iter()
            .map(|c| c.address)
            .collect()
    };
    assert_eq!(members("L1"), ["a@x.jp", "b@x.jp"]);
    assert_eq!(members("L2"), ["b@x.jp", "c@x.jp"]);
}

#[test]
fn problem_rows_can_be_saved_to_fix_and_import_again() {
    let ws = Workspace::new();
    let report = run(&ws, &ws.file("a.csv", JAPANESE_ROWS), &options("L")).unwrap();
    let out = ws.dir.path().join("problems.csv");
    import::save_problem_rows(&report, &out).unwrap();
    let text = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(
        text,
        "\u{feff}氏名,メールアドレス,会社名,備考,reason\n壊れた行,not-an-address,,,row 6: no @ in the address\n"
    );
}

#[test]
fn bad_files_are_refused_with_a_reason_and_change_nothing() {
    let ws = Workspace::new();
    let book = std::fs::read(office_workbook(&ws)).unwrap();
    let huge = format!("email,note\na@x.jp,{}\n", "x".repeat(40_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", b"".to_vec(), "empty"),
        ("blank.csv", b"\n \r\n".to_vec(), "empty"),
        (
            "truncated.xlsx",
            book[..book.len() / 2].to_vec(),
            "workbook",
        ),
        (
            "fake.xlsx",
            b"PK\x03\x04 not really a zip".to_vec(),
            "workbook",
        ),
        (
            "garbage.bin",
            (0..=255u8).cycle().take(4096).collect(),
            "neither",
        ),
        (
            "noaddr.csv",
            "会社,電話\nA社,03\n".as_bytes().to_vec(),
            "no column holds",
        ),
        ("allbad.csv", b"email\nnope\n".to_vec(), "no row holds"),
        ("huge.csv", huge.into_bytes(), "32767"),
        (
            "quote.csv",
            b"email,name\n\"a@x.jp,\"broken\n".to_vec(),
            "quote.csv",
        ),
    ];
    for (name, bytes, says) in cases {
        let err = run(&ws, &ws.file(name, bytes), &options("L"))
            .expect_err(name)
            .to_string();
        assert!(err.contains(says), "{name}: {err}");
    }
    let mut wrong = options("L");
    wrong.encoding = Some("klingon".into());
    assert!(matches!(
        run(&ws, &ws.file("ok.csv", "email\na@x.jp\n"), &wrong),
        Err(Error::UnknownEncoding(_))
    ));
    wrong.encoding = Some("utf-8".into());
    let sjis = ws.file("sjis.csv", SHIFT_JIS.encode(JAPANESE_ROWS).0);
    assert!(matches!(
        run(&ws, &sjis, &wrong),
        Err(Error::NotText { line: 1, .. })
    ));
    assert!(matches!(
        run(&ws, &ws.dir.path().join("missing.csv"), &options("L")),
        Err(Error::Io { .. })
    ));
    assert!(contacts::lists(&ws.db).unwrap().is_empty());
}
