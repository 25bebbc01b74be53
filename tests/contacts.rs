//! The address book as the contacts view and the CLI use it: the table's query (search,
//! filters, sort, paging), inline edits, the trash, tags, lists, the suppression list and how
//! plans leave suppressed contacts out, and exports to CSV and XLSX read back as a spreadsheet
//! would read them.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use calamine::{Data, Reader, Xlsx};
use common::{SmtpPeer, USER, Workspace};
use shisa::clock::Clock;
use shisa::compose::NewCampaign;
use shisa::contacts::{
    self, Contact, ContactEdit, ContactFields, ContactQuery, ContactSort, ContactStatus,
    CsvEncoding, ExportFormat, ExportOptions, Mode, SuppressionReason,
};
use shisa::review::{Confirmation, Route, plan};
use shisa::send::{Outbox, RunOptions, runner};
use shisa::{Db, Error, history, store};

/// A clock one second later at every reading, so each write has its own `updated_at`.
struct Ticking(AtomicI64);

impl Clock for Ticking {
    fn now(&self) -> time::OffsetDateTime {
        let tick = self.0.fetch_add(1, Ordering::SeqCst);
        time::macros::datetime!(2026-11-27 09:00 UTC) + time::Duration::seconds(tick)
    }
}

/// Fields from (name, value) pairs; a name that is not a standard field is a custom field.
fn fields(pairs: &[(&str, &str)]) -> ContactFields {
    let mut f = ContactFields::default();
    for &(key, value) in pairs {
        let v = Some(value.to_string());
        match key {
            "name" => f.name = v,
            "kana" => f.kana = v,
            "company" => f.company = v,
            "department" => f.department = v,
            "phone" => f.phone = v,
            custom => {
                f.fields.insert(custom.to_string(), value.to_string());
            }
        }
    }
    f
}

fn add(db: &Db, address: &str, f: ContactFields, lists: &[&str]) -> i64 {
    let now = db.now();
    let id = db
        .with_tx(|tx| {
            let mut writer = contacts::Writer::new(tx, &now, None)?;
            writer.upsert(&contacts::Incoming::new(address.into(), f), Mode::Upsert)?;
            writer.finish()?;
            Ok(tx.query_row(
                "SELECT id FROM contacts WHERE address = ?1",
                [address],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    for list in lists {
        db.with_tx(|tx| contacts::ensure_list(tx, list, &now))
            .unwrap();
        contacts::add_members(db, list, &[id]).unwrap();
    }
    id
}

/// The five contacts every test starts from, with their ids.
struct Book {
    db: Db,
    yamada: i64,
    sato: i64,
    suzuki: i64,
    tanaka: i64,
    ito: i64,
}

fn book(ws: &Workspace) -> Book {
    let db = Db::open_with_clock(&ws.db_path(), Arc::new(Ticking(AtomicI64::new(0)))).unwrap();
    let yamada = add(
        &db,
        "yamada@example.jp",
        fields(&[
            ("name", "山田 太郎"),
            ("kana", "ヤマダ タロウ"),
            ("company", "山田商事"),
            ("phone", "03-1111-2222"),
            ("会員番号", "A-100"),
        ]),
        &["顧客"],
    );
    let sato = add(
        &db,
        "Sato@example.co.jp",
        fields(&[
            ("name", "佐藤 花子"),
            ("kana", "サトウ ハナコ"),
            ("department", "営業部"),
        ]),
        &["顧客", "セミナー"],
    );
    let suzuki = add(
        &db,
        "suzuki@example.net",
        fields(&[
            ("name", "鈴木 一郎"),
            ("kana", "スズキ イチロウ"),
            ("company", "ACME Corp"),
            ("備考", "VIP 50%"),
        ]),
        &["セミナー"],
    );
    let tanaka = add(
        &db,
        "tanaka@example.org",
        fields(&[("company", "田中工業")]),
        &["顧客"],
    );
    let ito = add(
        &db,
        "ito@example.com",
        fields(&[("name", "伊藤"), ("kana", "イトウ")]),
        &[],
    );
    Book {
        db,
        yamada,
        sato,
        suzuki,
        tanaka,
        ito,
    }
}

fn addresses(rows: &[Contact]) -> Vec<&str> {
    rows.iter().map(|c| c.address.as_str()).collect()
}

/// The addresses a query finds, after checking that its total agrees with them.
fn found(db: &Db, query: ContactQuery) -> Vec<String> {
    let page = contacts::query(db, &query).unwrap();
    assert_eq!(page.total as usize, page.rows.len(), "{query:?}");
    addresses(&page.rows)
        .into_iter()
        .map(String::from)
        .collect()
}

fn search(db: &Db, text: &str) -> Vec<String> {
    found(
        db,
        ContactQuery {
            search: Some(text.into()),
            ..ContactQuery::default()
        },
    )
}

fn sorted(db: &Db, sort: ContactSort, descending: bool) -> Vec<String> {
    found(
        db,
        ContactQuery {
            sort,
            descending,
            ..ContactQuery::default()
        },
    )
}

#[test]
fn search_looks_in_every_field_ignoring_case_and_taking_wildcards_literally() {
    let ws = Workspace::new();
    let b = book(&ws);
    assert_eq!(search(&b.db, "YAMADA"), ["yamada@example.jp"]);
    assert_eq!(search(&b.db, "acme"), ["suzuki@example.net"]);
    assert_eq!(
        search(&b.db, "a-100"),
        ["yamada@example.jp"],
        "custom field"
    );
    assert_eq!(search(&b.db, "50%"), ["suzuki@example.net"]);
    assert!(search(&b.db, "5_").is_empty(), "_ is not a wildcard");
    assert!(
        search(&b.db, "会員番号").is_empty(),
        "field names are not values"
    );
    assert_eq!(search(&b.db, "営業"), ["Sato@example.co.jp"]);
    assert_eq!(search(&b.db, "1111-2222"), ["yamada@example.jp"]);
    assert_eq!(search(&b.db, "ハナコ"), ["Sato@example.co.jp"]);
    assert_eq!(search(&b.db, "co.jp"), ["Sato@example.co.jp"]);
    assert_eq!(search(&b.db, "山田\u{3000}商事"), ["yamada@example.jp"]);
    assert!(
        search(&b.db, "山田 花子").is_empty(),
        "every word must match"
    );
    assert_eq!(search(&b.db, "  ").len(), 5, "blank searches for nothing");
}

#[test]
fn sorts_put_blank_values_last_and_descending_is_the_exact_reverse() {
    let ws = Workspace::new();
    let b = book(&ws);
    let by_address = [
        "Sato@example.co.jp",
        "ito@example.com",
        "suzuki@example.net",
        "tanaka@example.org",
        "yamada@example.jp",
    ];
    assert_eq!(sorted(&b.db, ContactSort::Address, false), by_address);
    let by_kana = [
        "ito@example.com",
        "Sato@example.co.jp",
        "suzuki@example.net",
        "yamada@example.jp",
        "tanaka@example.org",
    ];
    assert_eq!(sorted(&b.db, ContactSort::Kana, false), by_kana);
    let reversed: Vec<&str> = by_kana.iter().rev().copied().collect();
    assert_eq!(sorted(&b.db, ContactSort::Kana, true), reversed);
    assert_eq!(
        sorted(&b.db, ContactSort::Name, false),
        [
            "ito@example.com",
            "Sato@example.co.jp",
            "yamada@example.jp",
            "suzuki@example.net",
            "tanaka@example.org",
        ]
    );
    // Blank companies (Sato, then ito: equal keys go by id) come last.
    assert_eq!(
        sorted(&b.db, ContactSort::Company, false),
        [
            "suzuki@example.net",
            "yamada@example.jp",
            "tanaka@example.org",
            "Sato@example.co.jp",
            "ito@example.com",
        ]
    );

    let edit = ContactEdit {
        address: "yamada@example.jp".into(),
        fields: fields(&[("name", "山田 太郎")]),
    };
    contacts::update(&b.db, b.yamada, &edit).unwrap();
    assert_eq!(
        sorted(&b.db, ContactSort::UpdatedAt, true),
        [
            "yamada@example.jp",
            "ito@example.com",
            "tanaka@example.org",
            "suzuki@example.net",
            "Sato@example.co.jp",
        ]
    );
}

#[test]
fn pages_cover_the_whole_result_once_with_a_constant_total() {
    let ws = Workspace::new();
    let b = book(&ws);
    for search in [None, Some("example".to_string())] {
        let mut seen = Vec::new();
        for offset in [0, 2, 4, 6] {
            let page = contacts::query(
                &b.db,
                &ContactQuery {
                    search: search.clone(),
                    offset,
                    limit: 2,
                    ..ContactQuery::default()
                },
            )
            .unwrap();
            assert_eq!(page.total, 5);
            assert!(page.rows.len() <= 2);
            seen.extend(page.rows.into_iter().map(|c| c.address));
        }
        assert_eq!(seen, sorted(&b.db, ContactSort::Address, false));
    }
}

#[test]
fn filters_by_list_tag_and_status() {
    let ws = Workspace::new();
    let b = book(&ws);
    let query = |list: Option<&str>, tag: Option<&str>, status| ContactQuery {
        list: list.map(String::from),
        tag: tag.map(String::from),
        status,
        ..ContactQuery::default()
    };
    assert_eq!(
        found(&b.db, query(Some("顧客"), None, ContactStatus::All)),
        [
            "Sato@example.co.jp",
            "tanaka@example.org",
            "yamada@example.jp"
        ]
    );
    contacts::tag(&b.db, &[b.suzuki, b.ito], "VIP").unwrap();
    assert_eq!(
        found(&b.db, query(None, Some("VIP"), ContactStatus::All)),
        ["ito@example.com", "suzuki@example.net"]
    );
    assert_eq!(
        found(
            &b.db,
            query(Some("セミナー"), Some("VIP"), ContactStatus::All)
        ),
        ["suzuki@example.net"]
    );
    assert!(matches!(
        contacts::query(&b.db, &query(Some("無い"), None, ContactStatus::All)),
        Err(Error::NoSuchList(name)) if name == "無い"
    ));
    assert!(matches!(
        contacts::query(&b.db, &query(None, Some("無い"), ContactStatus::All)),
        Err(Error::NoSuchTag(_))
    ));

    // Suppression matches the address in any letter case.
    contacts::suppress(
        &b.db,
        &["SATO@example.co.jp"],
        SuppressionReason::Bounced,
        None,
    )
    .unwrap();
    contacts::trash(&b.db, &[b.ito]).unwrap();
    assert_eq!(
        found(&b.db, query(None, None, ContactStatus::Active)),
        [
            "suzuki@example.net",
            "tanaka@example.org",
            "yamada@example.jp"
        ]
    );
    let suppressed = contacts::query(&b.db, &query(None, None, ContactStatus::Suppressed)).unwrap();
    assert_eq!(addresses(&suppressed.rows), ["Sato@example.co.jp"]);
    let mark = suppressed.rows[0].suppressed.as_ref().unwrap();
    assert_eq!(mark.reason, SuppressionReason::Bounced);
    assert!(!mark.created_at.is_empty());
    let trash = contacts::query(&b.db, &query(None, None, ContactStatus::Trash)).unwrap();
    assert_eq!(addresses(&trash.rows), ["ito@example.com"]);
    assert!(trash.rows[0].deleted);
    assert_eq!(
        found(&b.db, query(None, None, ContactStatus::All)).len(),
        4,
        "the trash is not part of the address book"
    );
}

#[test]
fn a_row_carries_every_field_its_tags_lists_and_marks() {
    let ws = Workspace::new();
    let b = book(&ws);
    contacts::tag(&b.db, &[b.sato], "要連絡").unwrap();
    contacts::tag(&b.db, &[b.sato], "VIP").unwrap();
    let rows = contacts::query(&b.db, &ContactQuery::default())
        .unwrap()
        .rows;
    let sato = &rows[0];
    assert_eq!(sato.id, b.sato);
    assert_eq!(sato.fields.department.as_deref(), Some("営業部"));
    assert_eq!(sato.tags, ["VIP", "要連絡"]);
    assert_eq!(sato.lists, ["セミナー", "顧客"]);
    assert_eq!((sato.suppressed.is_none(), sato.deleted), (true, false));
    let yamada = rows.iter().find(|c| c.id == b.yamada).unwrap();
    assert_eq!(yamada.fields.fields["会員番号"], "A-100");
    assert_eq!(yamada.updated_at, "2026-11-27T09:00:00Z");

    // The UI receives the fields flattened beside the address.
    let json = serde_json::to_value(yamada).unwrap();
    assert_eq!(json["name"], "山田 太郎");
    assert_eq!(json["fields"]["会員番号"], "A-100");
}

#[test]
fn an_edit_normalises_the_address_replaces_the_fields_and_refuses_bad_input() {
    let ws = Workspace::new();
    let b = book(&ws);
    let edit = ContactEdit {
        address: " ＹＡＭＡＤＡ.T＠Example.JP ".into(),
        fields: fields(&[
            ("name", " 山田 太朗 "),
            ("company", ""),
            ("会員番号", "A-101"),
        ]),
    };
    let saved = contacts::update(&b.db, b.yamada, &edit).unwrap();
    assert_eq!(saved.address, "YAMADA.T@example.jp");
    assert_eq!(saved.fields.name.as_deref(), Some("山田 太朗"));
    assert_eq!(saved.fields.company, None, "a blank field is cleared");
    assert_eq!(saved.fields.kana, None, "every field is replaced");
    assert_eq!(saved.fields.fields["会員番号"], "A-101");
    assert_eq!(saved.lists, ["顧客"], "memberships stay");

    let unchanged = |id: i64| {
        contacts::query(&b.db, &ContactQuery::default())
            .unwrap()
            .rows
            .into_iter()
            .find(|c| c.id == id)
            .unwrap()
    };
    let before = unchanged(b.ito);
    let to = |address: &str| ContactEdit {
        address: address.into(),
        fields: fields(&[("name", "変更")]),
    };
    assert!(matches!(
        contacts::update(&b.db, b.ito, &to("ito.example.com")),
        Err(Error::BadAddress { value, .. }) if value == "ito.example.com"
    ));
    assert!(matches!(
        contacts::update(&b.db, b.ito, &to("suzuki@EXAMPLE.net")),
        Err(Error::DuplicateAddress { address, in_trash: false }) if address == "suzuki@example.net"
    ));
    contacts::trash(&b.db, &[b.suzuki]).unwrap();
    let err = contacts::update(&b.db, b.ito, &to("suzuki@example.net")).unwrap_err();
    assert!(
        matches!(err, Error::DuplicateAddress { in_trash: true, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("in the trash"), "{err}");
    assert_eq!(unchanged(b.ito), before, "nothing changed");
    assert!(matches!(
        contacts::update(&b.db, 9999, &to("new@example.jp")),
        Err(Error::NoSuchContact(9999))
    ));
}

#[test]
fn the_trash_hides_contacts_from_lists_until_restored_and_emptying_deletes_them() {
    let ws = Workspace::new();
    let b = book(&ws);
    let members = |db: &Db| {
        contacts::contacts_of(db, "顧客")
            .unwrap()
            .into_iter()
            .map(|c| c.address)
            .collect::<Vec<_>>()
    };
    let count = |db: &Db| {
        contacts::lists(db)
            .unwrap()
            .into_iter()
            .find(|l| l.name == "顧客")
            .unwrap()
            .contacts
    };
    assert!(matches!(
        contacts::trash(&b.db, &[b.sato, 9999]),
        Err(Error::NoSuchContact(9999))
    ));
    assert_eq!(count(&b.db), 3, "a refused batch trashes nothing");

    assert_eq!(contacts::trash(&b.db, &[b.sato]).unwrap(), 1);
    assert_eq!(contacts::trash(&b.db, &[b.sato]).unwrap(), 0);
    assert_eq!(members(&b.db), ["tanaka@example.org", "yamada@example.jp"]);
    assert_eq!(count(&b.db), 2);

    assert_eq!(contacts::restore(&b.db, &[b.sato]).unwrap(), 1);
    assert_eq!(contacts::restore(&b.db, &[b.sato]).unwrap(), 0);
    assert_eq!(members(&b.db).len(), 3);
    let sato = &contacts::query(&b.db, &ContactQuery::default())
        .unwrap()
        .rows[0];
    assert_eq!(
        (sato.id, sato.deleted, sato.lists.len()),
        (b.sato, false, 2),
        "restored as it was"
    );

    contacts::tag(&b.db, &[b.tanaka], "旧取引先").unwrap();
    contacts::trash(&b.db, &[b.tanaka, b.ito]).unwrap();
    assert_eq!(contacts::empty_trash(&b.db).unwrap(), 2);
    let trash = ContactQuery {
        status: ContactStatus::Trash,
        ..ContactQuery::default()
    };
    assert_eq!(contacts::query(&b.db, &trash).unwrap().total, 0);
    assert_eq!(
        contacts::query(&b.db, &ContactQuery::default())
            .unwrap()
            .total,
        3
    );
    assert_eq!(members(&b.db), ["Sato@example.co.jp", "yamada@example.jp"]);
    assert!(
        contacts::tags(&b.db).unwrap().is_empty(),
        "its tag went with it"
    );
    assert!(matches!(
        contacts::restore(&b.db, &[b.tanaka]),
        Err(Error::NoSuchContact(_))
    ));
}

#[test]
fn tags_are_added_counted_removed_and_dropped_when_unused() {
    let ws = Workspace::new();
    let b = book(&ws);
    let counts = |db: &Db| {
        contacts::tags(db)
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.contacts))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        contacts::tag(&b.db, &[b.yamada, b.suzuki], " VIP ").unwrap(),
        2
    );
    assert_eq!(contacts::tag(&b.db, &[b.yamada], "VIP").unwrap(), 0);
    assert_eq!(contacts::tag(&b.db, &[b.ito], "年賀状").unwrap(), 1);
    assert_eq!(counts(&b.db), [("VIP".into(), 2), ("年賀状".into(), 1)]);
    assert!(matches!(
        contacts::tag(&b.db, &[b.ito], " "),
        Err(Error::EmptyTagName)
    ));
    assert!(matches!(
        contacts::tag(&b.db, &[b.ito, 9999], "新規"),
        Err(Error::NoSuchContact(9999))
    ));
    assert_eq!(counts(&b.db).len(), 2, "a refused batch adds no tag");

    contacts::trash(&b.db, &[b.suzuki]).unwrap();
    assert_eq!(
        counts(&b.db)[0],
        ("VIP".into(), 1),
        "the trash is not counted"
    );
    assert_eq!(
        contacts::untag(&b.db, &[b.yamada, b.ito], "VIP").unwrap(),
        1
    );
    assert_eq!(contacts::untag(&b.db, &[b.suzuki], "VIP").unwrap(), 1);
    assert_eq!(counts(&b.db), [("年賀状".into(), 1)]);
    assert!(matches!(
        contacts::untag(&b.db, &[b.ito], "VIP"),
        Err(Error::NoSuchTag(name)) if name == "VIP"
    ));
}

fn campaign(db: &Db, list: &str) -> i64 {
    let campaign = NewCampaign {
        list: list.into(),
        subject: "ご案内".into(),
        html: "<p>{{name}} 様</p>".into(),
        from: Some(USER.into()),
        ..NewCampaign::default()
    };
    store::campaigns::create(db, campaign).unwrap().id
}

#[test]
fn lists_are_created_renamed_filled_emptied_and_deleted_without_their_contacts() {
    let ws = Workspace::new();
    let b = book(&ws);
    let created = contacts::create_list(&b.db, " 展示会 ").unwrap();
    assert_eq!((created.name.as_str(), created.contacts), ("展示会", 0));
    assert!(matches!(
        contacts::create_list(&b.db, "展示会"),
        Err(Error::DuplicateList(_))
    ));
    assert!(matches!(
        contacts::create_list(&b.db, "  "),
        Err(Error::EmptyListName)
    ));

    assert_eq!(
        contacts::add_members(&b.db, "展示会", &[b.yamada, b.ito]).unwrap(),
        2
    );
    assert_eq!(contacts::add_members(&b.db, "展示会", &[b.ito]).unwrap(), 0);
    assert!(matches!(
        contacts::add_members(&b.db, "展示会", &[b.sato, 9999]),
        Err(Error::NoSuchContact(9999))
    ));
    assert_eq!(
        contacts::remove_members(&b.db, "展示会", &[b.ito]).unwrap(),
        1
    );
    assert!(matches!(
        contacts::add_members(&b.db, "無い", &[b.ito]),
        Err(Error::NoSuchList(_))
    ));

    let renamed = contacts::rename_list(&b.db, "展示会", "展示会 2026").unwrap();
    assert_eq!((renamed.id, renamed.contacts), (created.id, 1));
    assert!(matches!(
        contacts::rename_list(&b.db, "展示会 2026", "顧客"),
        Err(Error::DuplicateList(_))
    ));
    assert!(matches!(
        contacts::rename_list(&b.db, "展示会", "x"),
        Err(Error::NoSuchList(_))
    ));

    contacts::delete_list(&b.db, "展示会 2026").unwrap();
    let names: Vec<String> = contacts::lists(&b.db)
        .unwrap()
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(names, ["セミナー", "顧客"]);
    let all = contacts::query(&b.db, &ContactQuery::default()).unwrap();
    assert_eq!(all.total, 5, "the members stay in the address book");

    campaign(&b.db, "顧客");
    assert!(matches!(
        contacts::delete_list(&b.db, "顧客"),
        Err(Error::ListInUse { campaigns: 1, .. })
    ));
}

#[test]
fn suppression_normalises_refuses_bad_addresses_whole_and_ignores_case() {
    let ws = Workspace::new();
    let added = contacts::suppress(
        &ws.db,
        &["ｙａｍａｄａ＠Ｅｘａｍｐｌｅ．ＪＰ", "SATO@example.co.jp"],
        SuppressionReason::Unsubscribed,
        Some(" 電話で依頼 "),
    )
    .unwrap();
    assert_eq!(added, 2);
    let list = contacts::suppressions(&ws.db).unwrap();
    let mut stored: Vec<&str> = list.iter().map(|s| s.address.as_str()).collect();
    stored.sort();
    assert_eq!(stored, ["SATO@example.co.jp", "yamada@example.jp"]);
    assert!(
        list.iter()
            .all(|s| s.reason == SuppressionReason::Unsubscribed
                && s.note.as_deref() == Some("電話で依頼"))
    );

    assert!(matches!(
        contacts::suppress(&ws.db, &["ok@example.jp", "bad"], SuppressionReason::Manual, None),
        Err(Error::BadAddress { value, .. }) if value == "bad"
    ));
    assert_eq!(
        contacts::suppressions(&ws.db).unwrap().len(),
        2,
        "nothing added"
    );

    let again = contacts::suppress(
        &ws.db,
        &["Yamada@example.jp"],
        SuppressionReason::Bounced,
        None,
    );
    assert_eq!(again.unwrap(), 0, "already suppressed in another case");
    let yamada = contacts::suppressions(&ws.db)
        .unwrap()
        .into_iter()
        .find(|s| s.address == "yamada@example.jp")
        .unwrap();
    assert_eq!(
        yamada.reason,
        SuppressionReason::Unsubscribed,
        "keeps its reason"
    );

    assert!(matches!(
        contacts::unsuppress(&ws.db, &["sato@example.co.jp", "@"]),
        Err(Error::BadAddress { .. })
    ));
    assert_eq!(
        contacts::unsuppress(&ws.db, &["sato@example.co.jp"]).unwrap(),
        1
    );
    assert_eq!(
        contacts::unsuppress(&ws.db, &["sato@example.co.jp"]).unwrap(),
        0
    );
    assert_eq!(contacts::suppressions(&ws.db).unwrap().len(), 1);
}

#[test]
fn plans_leave_out_suppressed_and_trashed_members_and_count_the_suppressed() {
    let ws = Workspace::new();
    let b = book(&ws);
    let id = campaign(&b.db, "顧客");
    let full = plan::build(&b.db, id, &Route::default()).unwrap();
    assert_eq!(full.snapshot.recipients.len(), 3);
    assert_eq!(full.snapshot.excluded, 0);

    contacts::suppress(
        &b.db,
        &["yamada@example.jp"],
        SuppressionReason::Unsubscribed,
        None,
    )
    .unwrap();
    contacts::trash(&b.db, &[b.tanaka]).unwrap();
    let plan = plan::build(&b.db, id, &Route::default()).unwrap();
    let to: Vec<&str> = plan
        .snapshot
        .recipients
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(to, ["Sato@example.co.jp"]);
    assert_eq!(plan.snapshot.excluded, 1);
    assert_eq!(
        plan::load(&b.db.conn().unwrap(), plan.id)
            .unwrap()
            .snapshot
            .excluded,
        1,
        "the frozen plan keeps the count"
    );

    contacts::suppress(
        &b.db,
        &["sato@EXAMPLE.co.jp"],
        SuppressionReason::Blocked,
        None,
    )
    .unwrap();
    assert!(matches!(
        plan::build(&b.db, id, &Route::default()),
        Err(Error::NoRecipients)
    ));
}

#[tokio::test]
async fn suppressing_a_recipient_after_review_refuses_the_send() {
    let ws = Workspace::new();
    let b = book(&ws);
    let peer = SmtpPeer::start();
    let outbox = Outbox::smtp(&peer.account()).unwrap();
    let id = campaign(&b.db, "顧客");
    let reviewed = runner::freeze(&b.db, id, &outbox, &RunOptions::default(), None).unwrap();
    assert_eq!(reviewed.snapshot.recipients.len(), 3);

    contacts::suppress(
        &b.db,
        &["tanaka@example.org"],
        SuppressionReason::Bounced,
        None,
    )
    .unwrap();
    let confirmation = Confirmation::of_all(&reviewed);
    let refused = shisa::send::send(
        &b.db,
        reviewed.id,
        &confirmation,
        &outbox,
        &shisa::send::RunOptions::default(),
        |_| {},
    )
    .await;
    assert!(matches!(refused, Err(Error::PlanChanged)), "{refused:?}");
    assert!(peer.received().is_empty(), "nothing was sent");
    assert!(history::deliveries(&b.db, id).unwrap().is_empty());

    let again = runner::freeze(&b.db, id, &outbox, &RunOptions::default(), None).unwrap();
    assert_eq!(
        (again.snapshot.recipients.len(), again.snapshot.excluded),
        (2, 1)
    );
    let confirmation = Confirmation::of_all(&again);
    let summary = shisa::send::send(
        &b.db,
        again.id,
        &confirmation,
        &outbox,
        &shisa::send::RunOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(summary.counts.sent, 2);
    let mut to: Vec<String> = peer.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    assert_eq!(to, ["Sato@example.co.jp", "yamada@example.jp"]);
}

/// Contacts whose values a spreadsheet would misread, and Japanese text CP932 holds.
fn tricky_book(ws: &Workspace) -> Book {
    let b = book(ws);
    let edit = ContactEdit {
        address: "tanaka@example.org".into(),
        fields: fields(&[
            ("name", "髙橋 ①"),
            ("company", "㈱田中〜工業"),
            ("phone", "+81-3-1234-5678"),
            ("備考", "=HYPERLINK(\"http://evil.example\")"),
            ("会員番号", "@SUM(A1)"),
        ]),
    };
    contacts::update(&b.db, b.tanaka, &edit).unwrap();
    b
}

fn export(db: &Db, path: &Path, list: Option<&str>, encoding: Option<CsvEncoding>) -> u32 {
    let query = ContactQuery {
        list: list.map(String::from),
        ..ContactQuery::default()
    };
    let options = ExportOptions::for_path(path, encoding).unwrap();
    contacts::export(db, &query, path, &options).unwrap()
}

fn csv_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

const HEADER: [&str; 14] = [
    "address",
    "name",
    "last_name",
    "first_name",
    "kana",
    "company",
    "department",
    "job_title",
    "phone",
    "tags",
    "lists",
    "suppressed",
    "会員番号",
    "備考",
];

#[test]
fn csv_export_is_utf8_with_a_bom_every_field_and_neutralised_formulas() {
    let ws = Workspace::new();
    let b = tricky_book(&ws);
    contacts::tag(&b.db, &[b.tanaka], "VIP").unwrap();
    contacts::suppress(
        &b.db,
        &["tanaka@example.org"],
        SuppressionReason::Bounced,
        None,
    )
    .unwrap();
    let path = ws.dir.path().join("顧客.csv");
    assert_eq!(export(&b.db, &path, Some("顧客"), None), 3);

    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n"), "Excel's line ends");
    let records = csv_records(&text);
    assert_eq!(records[0], HEADER);
    let addresses: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        addresses,
        [
            "Sato@example.co.jp",
            "tanaka@example.org",
            "yamada@example.jp"
        ]
    );
    let tanaka = &records[2];
    assert_eq!(tanaka[1], "髙橋 ①");
    assert_eq!(tanaka[5], "㈱田中〜工業");
    assert_eq!(tanaka[8], "'+81-3-1234-5678");
    assert_eq!(tanaka[9], "VIP");
    assert_eq!(tanaka[10], "顧客");
    assert_eq!(tanaka[11], "bounced");
    assert_eq!(tanaka[12], "'@SUM(A1)");
    assert_eq!(tanaka[13], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(records[3][12], "A-100");
    assert_eq!(records[1][6], "営業部");
}

#[test]
fn cp932_export_round_trips_and_names_the_row_of_a_character_it_cannot_hold() {
    let ws = Workspace::new();
    let b = tricky_book(&ws);
    let path = ws.dir.path().join("sjis.csv");
    assert_eq!(export(&b.db, &path, None, Some(CsvEncoding::Cp932)), 5);
    let bytes = std::fs::read(&path).unwrap();
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
    assert!(!had_errors);
    let records = csv_records(&text);
    assert_eq!(records[0], HEADER);
    let tanaka = records
        .iter()
        .find(|r| r[0] == "tanaka@example.org")
        .unwrap();
    assert_eq!(tanaka[1], "髙橋 ①");
    assert_eq!(
        tanaka[5], "㈱田中～工業",
        "the wave dash is written as CP932 spells it"
    );
    assert_eq!(tanaka[13], "'=HYPERLINK(\"http://evil.example\")");

    let edit = ContactEdit {
        address: "ito@example.com".into(),
        fields: fields(&[("name", "𠮷田")]),
    };
    contacts::update(&b.db, b.ito, &edit).unwrap();
    let refused = ws.dir.path().join("refused.csv");
    let options = ExportOptions {
        format: ExportFormat::Csv,
        encoding: CsvEncoding::Cp932,
    };
    let err = contacts::export(&b.db, &ContactQuery::default(), &refused, &options).unwrap_err();
    assert!(
        matches!(&err, Error::Unencodable { row: 3, contact, column, character: '𠮷' }
            if contact == "ito@example.com" && column == "name"),
        "{err}"
    );
    assert!(err.to_string().contains("row 3"), "{err}");
    assert!(!refused.exists(), "nothing is written");
}

#[test]
fn xlsx_export_writes_every_value_as_text() {
    let ws = Workspace::new();
    let b = tricky_book(&ws);
    let path = ws.dir.path().join("contacts.xlsx");
    assert_eq!(export(&b.db, &path, None, None), 5);

    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(workbook.sheet_names(), ["Contacts"]);
    let range = workbook.worksheet_range("Contacts").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, HEADER);
    let tanaka = rows
        .iter()
        .find(|r| r[0] == Data::String("tanaka@example.org".into()))
        .unwrap();
    assert_eq!(tanaka[8], Data::String("+81-3-1234-5678".into()));
    assert_eq!(tanaka[12], Data::String("@SUM(A1)".into()));
    assert_eq!(
        tanaka[13],
        Data::String("=HYPERLINK(\"http://evil.example\")".into())
    );
    assert_eq!(tanaka[5], Data::String("㈱田中〜工業".into()));
    let formulas = workbook.worksheet_formula("Contacts").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell is a formula"
    );
}

fn cli_json(ws: &Workspace, args: &[&str]) -> serde_json::Value {
    let out = ws.cli(&[args, &["--json"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn cli_refused(ws: &Workspace, args: &[&str]) -> String {
    let out = ws.cli(args);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one-line reason: {stderr}");
    stderr
}

#[test]
fn the_cli_lists_exports_and_suppresses() {
    let ws = Workspace::new();
    let b = tricky_book(&ws);
    let all = cli_json(&ws, &["contacts", "list"]);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 5);
    let yamada = all
        .iter()
        .find(|c| c["address"] == "yamada@example.jp")
        .unwrap();
    assert_eq!(yamada["kana"], "ヤマダ タロウ");
    assert_eq!(yamada["fields"]["会員番号"], "A-100");
    assert_eq!(yamada["lists"][0], "顧客");
    let members = cli_json(&ws, &["contacts", "list", "--list", "セミナー"]);
    assert_eq!(members.as_array().unwrap().len(), 2);
    let text = String::from_utf8(ws.cli(&["contacts", "list"]).stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("yamada@")).unwrap();
    assert!(
        line.contains("name: 山田 太郎") && line.contains("会員番号: A-100"),
        "{line}"
    );
    cli_refused(&ws, &["contacts", "list", "--list", "無い"]);

    let csv = ws.dir.path().join("out.csv");
    let written = cli_json(
        &ws,
        &[
            "contacts",
            "export",
            csv.to_str().unwrap(),
            "--list",
            "顧客",
            "--encoding",
            "cp932",
        ],
    );
    assert_eq!(written["contacts"], 3);
    let bytes = std::fs::read(&csv).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad && text.contains("髙橋 ①"));
    let xlsx = ws.dir.path().join("out.xlsx");
    assert_eq!(
        cli_json(&ws, &["contacts", "export", xlsx.to_str().unwrap()])["contacts"],
        5
    );
    assert!(calamine::open_workbook::<Xlsx<_>, _>(&xlsx).is_ok());
    cli_refused(&ws, &["contacts", "export", "out.txt"]);
    cli_refused(
        &ws,
        &[
            "contacts",
            "export",
            xlsx.to_str().unwrap(),
            "--encoding",
            "cp932",
        ],
    );

    let added = cli_json(
        &ws,
        &[
            "suppress",
            "add",
            "Yamada@Example.JP",
            "gone@example.jp",
            "--reason",
            "bounced",
        ],
    );
    assert_eq!(
        (added["added"].as_u64(), added["already"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(
        !ws.cli(&["suppress", "add", "x@example.jp", "--reason", "spam"])
            .status
            .success()
    );
    let refused = cli_refused(&ws, &["suppress", "add", "ok@example.jp", "not-an-address"]);
    assert!(refused.contains("not-an-address"), "{refused}");
    let list = cli_json(&ws, &["suppress", "list"]);
    let mut stored: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["address"].as_str().unwrap(),
                s["reason"].as_str().unwrap(),
            )
        })
        .collect();
    stored.sort();
    assert_eq!(
        stored,
        [
            ("Yamada@example.jp", "bounced"),
            ("gone@example.jp", "bounced")
        ]
    );
    let manual = cli_json(&ws, &["suppress", "add", "ito@example.com"]);
    assert_eq!(manual["added"], 1);
    let ito = contacts::suppressions(&b.db)
        .unwrap()
        .into_iter()
        .find(|s| s.address == "ito@example.com")
        .unwrap();
    assert_eq!(ito.reason, SuppressionReason::Manual, "manual unless told");
    let removed = cli_json(&ws, &["suppress", "remove", "GONE@example.jp"]);
    assert_eq!(removed["removed"], 1);
    assert_eq!(contacts::suppressions(&b.db).unwrap().len(), 2);

    let id = campaign(&b.db, "顧客").to_string();
    let review = cli_json(&ws, &["review", &id]);
    assert_eq!(
        (review["count"].as_u64(), review["excluded"].as_u64()),
        (Some(2), Some(1))
    );
    let text = String::from_utf8(ws.cli(&["review", &id]).stdout).unwrap();
    assert!(
        text.contains("Recipients: 2 (1 excluded: suppressed)"),
        "{text}"
    );
}
