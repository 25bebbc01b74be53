//! Writes the benchmark's contact files: a workbook and a CSV of fake office contacts, with
//! the columns a Japanese office keeps. `cargo run --release --example bench_files -- DIR ROWS_XLSX ROWS_CSV`.

use std::io::Write;
use std::path::PathBuf;

use rust_xlsxwriter::Workbook;

const HEADER: [&str; 8] = [
    "氏名",
    "フリガナ",
    "メールアドレス",
    "会社名",
    "部署",
    "役職",
    "電話",
    "顧客ID",
];

fn row(i: usize) -> [String; 8] {
    [
        format!("山田 太郎{i}"),
        format!("ヤマダ タロウ{i}"),
        format!("user{i}@example{}.co.jp", i % 97),
        format!("株式会社サンプル{}", i % 1000),
        "営業部".to_string(),
        "課長".to_string(),
        format!("03-{:04}-{:04}", i / 10_000 % 10_000, i % 10_000),
        format!("C{i:07}"),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(&args[1]);
    let xlsx_rows: usize = args[2].parse().expect("rows for the workbook");
    let csv_rows: usize = args[3].parse().expect("rows for the CSV");
    std::fs::create_dir_all(&dir).unwrap();

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write(0, c as u16, *h).unwrap();
    }
    for i in 0..xlsx_rows {
        for (c, v) in row(i).iter().enumerate() {
            sheet.write((i + 1) as u32, c as u16, v).unwrap();
        }
    }
    book.save(dir.join("contacts.xlsx")).unwrap();

    let mut csv = std::io::BufWriter::new(std::fs::File::create(dir.join("contacts.csv")).unwrap());
    writeln!(csv, "{}", HEADER.join(",")).unwrap();
    for i in 0..csv_rows {
        writeln!(csv, "{}", row(i).join(",")).unwrap();
    }
}
