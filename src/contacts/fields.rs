//! A contact's fields besides its address — the standard ones offices keep and the custom
//! ones an import brings along — and how they map to the `contacts` table's columns.

use std::collections::BTreeMap;

use rusqlite::{Statement, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;

/// Everything known about a contact besides its address. `None` and empty strings mean "not
/// given"; `fields` holds custom fields (columns an import did not map to a standard field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactFields {
    pub name: Option<String>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub kana: Option<String>,
    pub company: Option<String>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub fields: BTreeMap<String, String>,
}

/// The standard fields' column names, in the order of `ContactFields::standard`.
pub(crate) const STANDARD: [&str; 8] = [
    "name",
    "last_name",
    "first_name",
    "kana",
    "company",
    "department",
    "job_title",
    "phone",
];

/// The columns `read` expects, in its order: the standard fields, then the custom ones.
pub(crate) const COLUMNS: &str =
    "name, last_name, first_name, kana, company, department, job_title, phone, fields";

impl ContactFields {
    /// The standard fields' values, in the order of `STANDARD`.
    pub(crate) fn standard(&self) -> [&Option<String>; 8] {
        [
            &self.name,
            &self.last_name,
            &self.first_name,
            &self.kana,
            &self.company,
            &self.department,
            &self.job_title,
            &self.phone,
        ]
    }

    /// The custom fields as stored in the `fields` column.
    pub(crate) fn custom_json(&self) -> String {
        serde_json::to_string(&self.fields).expect("a string map serialises")
    }

    /// These fields laid over `old`: every value given here wins, every value not given keeps
    /// the old one.
    pub(crate) fn over(&self, old: &ContactFields) -> ContactFields {
        let pick = |new: &Option<String>, old: &Option<String>| match new {
            Some(v) if !v.is_empty() => Some(v.clone()),
            _ => old.clone(),
        };
        let mut fields = old.fields.clone();
        fields.extend(
            self.fields
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        ContactFields {
            name: pick(&self.name, &old.name),
            last_name: pick(&self.last_name, &old.last_name),
            first_name: pick(&self.first_name, &old.first_name),
            kana: pick(&self.kana, &old.kana),
            company: pick(&self.company, &old.company),
            department: pick(&self.department, &old.department),
            job_title: pick(&self.job_title, &old.job_title),
            phone: pick(&self.phone, &old.phone),
            fields,
        }
    }

    /// The fields as someone typed them into a form, tidied: values trimmed, blank values and
    /// nameless custom fields dropped, so that "cleared" is stored as absent, never as "".
    pub(crate) fn cleaned(&self) -> ContactFields {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        ContactFields {
            name: clean(&self.name),
            last_name: clean(&self.last_name),
            first_name: clean(&self.first_name),
            kana: clean(&self.kana),
            company: clean(&self.company),
            department: clean(&self.department),
            job_title: clean(&self.job_title),
            phone: clean(&self.phone),
            fields: self
                .fields
                .iter()
                .map(|(k, v)| (k.trim(), v.trim()))
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

/// The statement that stores a contact's fields; run it with [`update`].
pub(crate) const UPDATE: &str =
    "UPDATE contacts SET name = ?1, last_name = ?2, first_name = ?3, kana = ?4, company = ?5,
     department = ?6, job_title = ?7, phone = ?8, fields = ?9, updated_at = ?10
     WHERE id = ?11";

/// Stores `f` as the fields of contact `id`, stamped as updated `now`, through a prepared
/// [`UPDATE`].
pub(crate) fn update(stmt: &mut Statement, id: i64, f: &ContactFields, now: &str) -> Result<()> {
    let v = f.standard();
    stmt.execute(params![
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        v[6],
        v[7],
        f.custom_json(),
        now,
        id
    ])?;
    Ok(())
}

/// Stores `f` as the fields of contact `id`, stamped as updated `now`.
pub(crate) fn write(tx: &Transaction, id: i64, f: &ContactFields, now: &str) -> Result<()> {
    update(&mut *tx.prepare_cached(UPDATE)?, id, f, now)
}

/// Reads the `COLUMNS` starting at column `at` of a row.
pub(crate) fn read(r: &rusqlite::Row, at: usize) -> rusqlite::Result<ContactFields> {
    let json: String = r.get(at + 8)?;
    Ok(ContactFields {
        name: r.get(at)?,
        last_name: r.get(at + 1)?,
        first_name: r.get(at + 2)?,
        kana: r.get(at + 3)?,
        company: r.get(at + 4)?,
        department: r.get(at + 5)?,
        job_title: r.get(at + 6)?,
        phone: r.get(at + 7)?,
        fields: serde_json::from_str(&json).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_trims_and_drops_blanks() {
        let typed = ContactFields {
            name: Some("  山田 太郎\u{3000}".into()),
            company: Some("   ".into()),
            fields: [
                (" 会員番号 ".to_string(), " 12 ".to_string()),
                ("備考".to_string(), String::new()),
                (" ".to_string(), "x".to_string()),
            ]
            .into(),
            ..ContactFields::default()
        };
        let clean = typed.cleaned();
        assert_eq!(clean.name.as_deref(), Some("山田 太郎"));
        assert_eq!(clean.company, None);
        assert_eq!(
            clean.fields,
            [("会員番号".to_string(), "12".to_string())].into()
        );
    }

    #[test]
    fn given_values_win_and_missing_ones_keep_the_old() {
        let old = ContactFields {
            name: Some("旧".into()),
            phone: Some("03".into()),
            fields: [("a".to_string(), "1".to_string())].into(),
            ..ContactFields::default()
        };
        let new = ContactFields {
            name: Some("新".into()),
            phone: Some(String::new()),
            fields: [("b".to_string(), "2".to_string())].into(),
            ..ContactFields::default()
        };
        let merged = new.over(&old);
        assert_eq!(
            (merged.name.as_deref(), merged.phone.as_deref()),
            (Some("新"), Some("03"))
        );
        assert_eq!(merged.fields.len(), 2);
    }
}
