//! Which column holds what: finding the header row under title rows, suggesting a field for
//! each column from Japanese and English header names, and applying the user's choices.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use super::grid::{Grid, column_letter};

/// The standard contact fields a column can be mapped to. A column mapped to none of them is
/// kept as a custom field under its header's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportField")]
pub enum Field {
    Email,
    Name,
    LastName,
    FirstName,
    Kana,
    Company,
    Department,
    JobTitle,
    Phone,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Email,
        Field::Name,
        Field::LastName,
        Field::FirstName,
        Field::Kana,
        Field::Company,
        Field::Department,
        Field::JobTitle,
        Field::Phone,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Name => "name",
            Field::LastName => "last_name",
            Field::FirstName => "first_name",
            Field::Kana => "kana",
            Field::Company => "company",
            Field::Department => "department",
            Field::JobTitle => "job_title",
            Field::Phone => "phone",
        }
    }

    pub fn parse(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key.trim())
    }

    /// Header names that suggest this field, already in `header_key` form.
    fn headers(self) -> &'static [&'static str] {
        match self {
            Field::Email => &[
                "email",
                "mail",
                "emailaddress",
                "mailaddress",
                "eメール",
                "eメールアドレス",
                "メール",
                "メールアドレス",
                "メアド",
                "電子メール",
                "電子メールアドレス",
            ],
            Field::Name => &[
                "name",
                "fullname",
                "氏名",
                "名前",
                "お名前",
                "担当者",
                "担当者名",
                "ご担当者",
                "ご担当者名",
                "ご担当者様",
                "顧客名",
                "会員名",
                "宛名",
                "お客様名",
            ],
            Field::LastName => &["姓", "苗字", "名字", "lastname", "familyname", "surname"],
            Field::FirstName => &["名", "firstname", "givenname"],
            Field::Kana => &[
                "フリガナ",
                "ふりがな",
                "カナ",
                "氏名カナ",
                "氏名フリガナ",
                "よみ",
                "読み",
                "kana",
                "furigana",
            ],
            Field::Company => &[
                "会社名",
                "会社",
                "企業名",
                "法人名",
                "社名",
                "勤務先",
                "取引先",
                "取引先名",
                "company",
                "companyname",
                "organization",
                "organisation",
            ],
            Field::Department => &[
                "部署",
                "部署名",
                "所属",
                "部門",
                "department",
                "dept",
                "division",
            ],
            Field::JobTitle => &[
                "役職",
                "役職名",
                "肩書",
                "肩書き",
                "title",
                "jobtitle",
                "position",
            ],
            Field::Phone => &[
                "電話",
                "電話番号",
                "tel",
                "phone",
                "phonenumber",
                "携帯",
                "携帯電話",
                "携帯番号",
                "mobile",
            ],
        }
    }
}

/// A header as compared with known names: width-folded, lowercased, without spaces and
/// punctuation, so "E-Mail", "Ｅメール" and "メール アドレス" all match.
fn header_key(header: &str) -> String {
    header
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !"-_・:()[]【】「」.".contains(*c))
        .collect()
}

fn suggested(header: &str) -> Option<Field> {
    let key = header_key(header);
    Field::ALL
        .into_iter()
        .find(|f| f.headers().contains(&key.as_str()))
}

/// One column of the file, with the field it goes to (`None`: a custom field named `header`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ImportColumn")]
pub struct Column {
    pub index: u32,
    pub letter: String,
    pub header: String,
    pub field: Option<Field>,
}

/// The header row: below title rows and blank rows, the first row that names known fields,
/// else the first multi-column row without an address that is followed by one with an
/// address. `None` when the table seems to have no header at all.
pub fn header_row(grid: &Grid) -> Option<usize> {
    let no_address = |i: usize| !grid.rows[i].cells.iter().any(|c| has_at(c));
    let window = 0..grid.rows.len().min(50);
    let named = window
        .clone()
        .find(|&i| no_address(i) && grid.rows[i].cells.iter().any(|c| suggested(c).is_some()));
    named.or_else(|| {
        window.clone().find(|&i| {
            no_address(i)
                && grid.rows[i].cells.iter().filter(|c| !c.is_empty()).count() >= 2
                && grid
                    .rows
                    .get(i + 1)
                    .is_some_and(|next| next.cells.iter().any(|c| has_at(c)))
        })
    })
}

fn has_at(value: &str) -> bool {
    value.contains('@') || value.contains('＠')
}

/// The columns with suggested fields. Each field goes to the first column that suggests it;
/// headerless columns are named by their letter.
pub fn columns(grid: &Grid, header: Option<usize>) -> Vec<Column> {
    let names = |i: usize| header.map_or(String::new(), |h| grid.rows[h].cell(i).to_string());
    let mut taken = Vec::new();
    (0..grid.width())
        .map(|i| {
            let header = names(i);
            let field = suggested(&header).filter(|f| !taken.contains(f));
            taken.extend(field);
            column(i, header, field)
        })
        .collect()
}

/// Adds custom columns, named by their letters, up to `width`: for a row further down the
/// file that is wider than the rows the columns were found in.
pub fn widen(columns: &mut Vec<Column>, width: usize) {
    for i in columns.len()..width {
        columns.push(column(i, String::new(), None));
    }
}

fn column(index: usize, header: String, field: Option<Field>) -> Column {
    Column {
        index: index as u32,
        letter: column_letter(index),
        header: if header.is_empty() {
            column_letter(index)
        } else {
            header
        },
        field,
    }
}

/// Without a recognised header, the address column is the one whose cells most often hold
/// an `@` (in at least half of the data rows).
pub fn column_holding_addresses(grid: &Grid, first_data_row: usize) -> Option<usize> {
    let data = &grid.rows[first_data_row.min(grid.rows.len())..];
    (0..grid.width())
        .map(|c| (c, data.iter().filter(|r| has_at(r.cell(c))).count()))
        .filter(|&(_, hits)| hits > 0 && hits * 2 >= data.len())
        .fold(None, |best: Option<(usize, usize)>, (c, hits)| match best {
            Some((_, most)) if most >= hits => best,
            _ => Some((c, hits)),
        })
        .map(|(c, _)| c)
}

/// Resolves the column a user named: its header text, its letter (A, B, …) or its number
/// (1-based).
pub fn find_column(columns: &[Column], name: &str) -> Option<usize> {
    let name = name.trim();
    let key = header_key(name);
    columns
        .iter()
        .position(|c| header_key(&c.header) == key)
        .or_else(|| {
            columns
                .iter()
                .position(|c| c.letter.eq_ignore_ascii_case(name))
        })
        .or_else(|| {
            name.parse::<usize>()
                .ok()
                .filter(|&n| n >= 1 && n <= columns.len())
                .map(|n| n - 1)
        })
}

/// Maps `field` to the column at `index`, taking it away from any other column; `None` keeps
/// the column as a custom field.
pub fn assign(columns: &mut [Column], field: Option<Field>, index: usize) {
    if field.is_some() {
        for column in columns.iter_mut().filter(|c| c.field == field) {
            column.field = None;
        }
    }
    columns[index].field = field;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::grid::Row;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| Row {
                    number: i as u32 + 1,
                    cells: cells.iter().map(|c| c.to_string()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn finds_the_header_below_a_title_row() {
        let g = grid(&[
            &["顧客名簿 2026年11月現在"],
            &["No.", "ご担当者名", "Ｅメール", "会社名"],
            &["1", "山田", "y@x.jp", "A社"],
        ]);
        assert_eq!(header_row(&g), Some(1));
        let fields: Vec<Option<Field>> = columns(&g, Some(1)).iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            [
                None,
                Some(Field::Name),
                Some(Field::Email),
                Some(Field::Company)
            ]
        );
    }

    #[test]
    fn suggests_fields_from_japanese_and_english_headers() {
        let cases = [
            ("メールアドレス", Field::Email),
            ("E-mail", Field::Email),
            ("mail", Field::Email),
            ("氏名", Field::Name),
            ("名前", Field::Name),
            ("姓", Field::LastName),
            ("名", Field::FirstName),
            ("フリガナ", Field::Kana),
            ("会社名", Field::Company),
            ("部署", Field::Department),
            ("役職", Field::JobTitle),
            ("電話", Field::Phone),
            ("TEL", Field::Phone),
        ];
        for (header, field) in cases {
            assert_eq!(suggested(header), Some(field), "{header}");
        }
        assert_eq!(suggested("顧客ID"), None);
    }

    #[test]
    fn a_table_without_header_names_columns_by_letter_and_finds_addresses() {
        let g = grid(&[&["山田", "y@x.jp"], &["佐藤", "s@x.jp"]]);
        assert_eq!(header_row(&g), None);
        let cols = columns(&g, None);
        assert_eq!(
            (cols[0].header.as_str(), cols[1].header.as_str()),
            ("A", "B")
        );
        assert_eq!(column_holding_addresses(&g, 0), Some(1));
    }

    #[test]
    fn users_name_columns_by_header_letter_or_number() {
        let g = grid(&[&["氏名", "連絡先", "備考"], &["a", "b@c.jp", "x"]]);
        let mut cols = columns(&g, Some(0));
        assert_eq!(find_column(&cols, "連絡先"), Some(1));
        assert_eq!(find_column(&cols, "c"), Some(2));
        assert_eq!(find_column(&cols, "3"), Some(2));
        assert_eq!(find_column(&cols, "9"), None);
        assign(&mut cols, Some(Field::Name), 2);
        assert_eq!((cols[0].field, cols[2].field), (None, Some(Field::Name)));
    }
}
