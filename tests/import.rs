//! Importing contact files: what is taken, what is reported, and that bad input changes nothing.

mod common;

use common::Workspace;
use shisa::{Error, contacts, import};

#[test]
fn imports_valid_rows_and_reports_the_rest_by_row_number() {
    let ws = Workspace::new();
    let file = ws.file(
        "c.csv",
        "\u{feff}氏名,メールアドレス\n山田,ＹＡＭＡＤＡ＠Example.JP\n,\n佐藤,sato@@x\n山田2,YAMADA@example.jp\n",
    );
    let report = import::import_file(&ws.db, &file, "顧客").unwrap();
    assert_eq!((report.rows, report.imported, report.duplicates), (3, 1, 1));
    assert_eq!(report.invalid.len(), 1);
    assert_eq!(
        (report.invalid[0].row, report.invalid[0].value.as_str()),
        (4, "sato@@x")
    );
    let stored = contacts::contacts_of(&ws.db, "顧客").unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].address.as_str(), stored[0].name.as_deref()),
        ("YAMADA@example.jp", Some("山田"))
    );
}

#[test]
fn reimporting_updates_names_and_adds_to_another_list() {
    let ws = Workspace::new();
    import::import_file(&ws.db, &ws.file("a.csv", "email,name\na@x.jp,旧\n"), "A").unwrap();
    let report =
        import::import_file(&ws.db, &ws.file("b.csv", "email,name\na@x.jp,新\n"), "B").unwrap();
    assert_eq!((report.imported, report.updated), (0, 1));
    let lists = contacts::lists(&ws.db).unwrap();
    assert_eq!(
        lists
            .iter()
            .map(|l| (l.name.as_str(), l.contacts))
            .collect::<Vec<_>>(),
        [("A", 1), ("B", 1)]
    );
    assert_eq!(
        contacts::contacts_of(&ws.db, "A").unwrap()[0]
            .name
            .as_deref(),
        Some("新")
    );
}

#[test]
fn finds_the_address_column_without_a_known_header() {
    let ws = Workspace::new();
    let file = ws.file("c.csv", "会社,連絡先\nA社,a@x.jp\nB社,b@x.jp\n");
    assert_eq!(import::import_file(&ws.db, &file, "L").unwrap().imported, 2);
}

#[test]
fn bad_files_are_refused_with_a_reason_and_change_nothing() {
    let ws = Workspace::new();
    let cases: Vec<(&str, &[u8])> = vec![
        ("empty.csv", b""),
        ("blank.csv", b"\n \n"),
        ("cp932.csv", b"email,name\na@x.jp,\x8eR\x93c\n"),
        ("noaddr.csv", "会社,電話\nA社,03\n".as_bytes()),
        ("allbad.csv", b"email\nnope\n"),
        ("quote.csv", b"email,name\n\"a@x.jp,\"broken\n"),
    ];
    for (name, bytes) in cases {
        let result = import::import_file(&ws.db, &ws.file(name, bytes), "L");
        let err = result.expect_err(name);
        assert!(err.to_string().contains(name), "{name}: {err}");
    }
    assert!(matches!(
        import::import_file(&ws.db, &ws.dir.path().join("missing.csv"), "L"),
        Err(Error::Io { .. })
    ));
    assert!(matches!(
        import::import_file(&ws.db, &ws.file("ok.csv", "email\na@x.jp\n"), "  "),
        Err(Error::EmptyListName)
    ));
    assert!(contacts::lists(&ws.db).unwrap().is_empty());
}
