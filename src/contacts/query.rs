//! Reading the address book a page at a time for a virtualized table: search, filters, sort and
//! paging, done in SQL so that a page of 100,000 contacts costs an index walk, not a full read.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::contact::{self, Contact};
use super::{lists, tags};
use crate::error::Result;
use crate::store::Db;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct ContactQuery {
    /// Words that must each appear, in any letter case, in the address or any field (custom
    /// fields included).
    pub search: Option<String>,
    /// Only the members of this list.
    pub list: Option<String>,
    /// Only the contacts carrying this tag.
    pub tag: Option<String>,
    pub status: ContactStatus,
    pub sort: ContactSort,
    /// The exact reverse of the ascending order (blank values first).
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for ContactQuery {
    /// Every contact outside the trash, by address, all in one page.
    fn default() -> ContactQuery {
        ContactQuery {
            search: None,
            list: None,
            tag: None,
            status: ContactStatus::All,
            sort: ContactSort::Address,
            descending: false,
            offset: 0,
            limit: u32::MAX,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContactStatus {
    /// Would be mailed: outside the trash and not suppressed.
    Active,
    /// Outside the trash, with a suppressed address.
    Suppressed,
    /// In the trash.
    Trash,
    /// Everything outside the trash.
    #[default]
    All,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContactSort {
    #[default]
    Address,
    Name,
    Kana,
    Company,
    UpdatedAt,
}

impl ContactSort {
    /// The ORDER BY keys, blank values last, ending in the id so that equal keys page in a
    /// stable order.
    fn keys(self) -> &'static [&'static str] {
        match self {
            ContactSort::Address => &["c.address"],
            ContactSort::Name => &["(coalesce(c.name, '') = '')", "c.name", "c.id"],
            ContactSort::Kana => &["(coalesce(c.kana, '') = '')", "c.kana", "c.id"],
            ContactSort::Company => &["(coalesce(c.company, '') = '')", "c.company", "c.id"],
            ContactSort::UpdatedAt => &["c.updated_at", "c.id"],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ContactPage {
    /// How many contacts match, on every page.
    pub total: u32,
    pub rows: Vec<Contact>,
}

/// The columns a search looks in, besides the custom fields.
const SEARCHED: [&str; 9] = [
    "c.address",
    "c.name",
    "c.last_name",
    "c.first_name",
    "c.kana",
    "c.company",
    "c.department",
    "c.job_title",
    "c.phone",
];

/// A WHERE clause over `contacts c` and its numbered parameters.
#[derive(Default)]
struct Filter {
    conditions: Vec<String>,
    params: Vec<Value>,
    /// Whether it holds search words, which no index can serve.
    searching: bool,
}

impl Filter {
    /// Adds a parameter and returns its placeholder.
    fn param(&mut self, value: impl Into<Value>) -> String {
        self.params.push(value.into());
        format!("?{}", self.params.len())
    }

    fn of(conn: &Connection, q: &ContactQuery) -> Result<Filter> {
        let mut f = Filter::default();
        let suppressed =
            "EXISTS (SELECT 1 FROM suppressions s WHERE s.address = c.address COLLATE NOCASE)";
        let outside_trash = "c.deleted_at IS NULL";
        f.conditions.push(match q.status {
            ContactStatus::Active => format!("{outside_trash} AND NOT {suppressed}"),
            ContactStatus::Suppressed => format!("{outside_trash} AND {suppressed}"),
            ContactStatus::Trash => "c.deleted_at IS NOT NULL".to_string(),
            ContactStatus::All => outside_trash.to_string(),
        });
        if let Some(list) = &q.list {
            let p = f.param(lists::list_id(conn, list)?);
            f.conditions.push(format!(
                "c.id IN (SELECT contact_id FROM list_members WHERE list_id = {p})"
            ));
        }
        if let Some(tag) = &q.tag {
            let p = f.param(tags::tag_id(conn, tag)?);
            f.conditions.push(format!(
                "c.id IN (SELECT contact_id FROM contact_tags WHERE tag_id = {p})"
            ));
        }
        for word in q.search.iter().flat_map(|s| s.split_whitespace()) {
            let p = f.param(like_pattern(word));
            let mut any: Vec<String> = SEARCHED
                .iter()
                .map(|column| format!("{column} LIKE {p} ESCAPE '\\'"))
                .collect();
            any.push(format!(
                "(c.fields <> '{{}}' AND EXISTS (SELECT 1 FROM json_each(c.fields) j
                  WHERE j.value LIKE {p} ESCAPE '\\'))"
            ));
            f.conditions.push(format!("({})", any.join(" OR ")));
            f.searching = true;
        }
        Ok(f)
    }

    fn sql(&self) -> String {
        self.conditions.join(" AND ")
    }
}

/// A LIKE pattern matching `word` anywhere, its own % _ and \ taken literally. LIKE ignores the
/// case of ASCII letters only, which is what addresses and romaji need; Japanese is matched as
/// written.
fn like_pattern(word: &str) -> String {
    let mut pattern = String::with_capacity(word.len() + 2);
    pattern.push('%');
    for ch in word.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

/// One page of the contacts the query matches, with the number that match in all.
pub fn query(db: &Db, q: &ContactQuery) -> Result<ContactPage> {
    let conn = db.conn()?;
    let filter = Filter::of(&conn, q)?;
    let direction = if q.descending { " DESC" } else { "" };
    let order = q
        .sort
        .keys()
        .iter()
        .map(|key| format!("{key}{direction}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (total, ids) = if filter.searching {
        searched_page(&conn, filter, &order, q)?
    } else {
        browsed_page(&conn, filter, &order, q)?
    };
    Ok(ContactPage {
        total,
        rows: contact::load(&conn, &ids)?,
    })
}

/// Without a search: the count, then the page (SQLite keeps only the top rows while sorting).
fn browsed_page(
    conn: &Connection,
    mut filter: Filter,
    order: &str,
    q: &ContactQuery,
) -> Result<(u32, Vec<i64>)> {
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) FROM contacts c WHERE {}", filter.sql()),
        params_from_iter(&filter.params),
        |r| r.get(0),
    )?;
    let limit = filter.param(i64::from(q.limit));
    let offset = filter.param(i64::from(q.offset));
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id FROM contacts c WHERE {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
        filter.sql()
    ))?;
    let ids = stmt
        .query_map(params_from_iter(&filter.params), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok((total, ids))
}

/// A search reads every row anyway, so it is done in one scan of the table that yields the ids
/// of all matches in order; the count and the page come from those.
fn searched_page(
    conn: &Connection,
    filter: Filter,
    order: &str,
    q: &ContactQuery,
) -> Result<(u32, Vec<i64>)> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id FROM contacts c WHERE {} ORDER BY {order}",
        filter.sql()
    ))?;
    let ids = stmt
        .query_map(params_from_iter(&filter.params), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    let page = ids
        .iter()
        .skip(q.offset as usize)
        .take(q.limit as usize)
        .copied()
        .collect();
    Ok((ids.len() as u32, page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_pattern("山田"), "%山田%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
