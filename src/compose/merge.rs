//! Merge fields: `{{氏名}}` or `{{氏名|ご担当者}}` placeholders in a subject or body, checked
//! when the mail is written and filled in per recipient when it is built.
//!
//! A field is named by its Japanese label (氏名, 会社名 …), by its key (name, company …) or,
//! for a custom field an import brought in, by its column header.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::contacts::ContactFields;
use crate::error::{Error, Result};

/// The standard fields as (key, label); values are stored under the key.
pub const STANDARD: [(&str, &str); 9] = [
    ("name", "氏名"),
    ("last_name", "姓"),
    ("first_name", "名"),
    ("kana", "フリガナ"),
    ("company", "会社名"),
    ("department", "部署"),
    ("job_title", "役職"),
    ("phone", "電話"),
    ("email", "メールアドレス"),
];

/// Written after a name, these already address the person politely: 様 after them is wrong.
const HONORIFICS: &[&str] = &["様", "さま", "殿", "御中", "さん", "先生", "君", "氏"];
/// Job titles are polite by themselves: 部長様 is a mistake.
const TITLES: &[&str] = &[
    "社長",
    "会長",
    "副社長",
    "専務",
    "常務",
    "取締役",
    "本部長",
    "部長",
    "次長",
    "課長",
    "係長",
    "主任",
    "室長",
    "所長",
    "支店長",
    "店長",
    "院長",
    "理事長",
    "代表",
];
/// What a mail adds after a name field.
const ADDED_HONORIFICS: &[&str] = &["様", "さま", "殿"];

/// One recipient's values, by field key (standard fields) or name (custom fields): a short
/// list kept in key order. A recipient has a handful; a map node each would cost a plan of a
/// hundred thousand recipients more memory than all their values. It reads and writes as the
/// map it stands for, in the same order, so plans and their digests are unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, TS)]
#[ts(type = "{ [key in string]: string }")]
pub struct MergeValues(Vec<(String, String)>);

impl MergeValues {
    pub fn get(&self, key: &str) -> Option<&String> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn insert(&mut self, key: String, value: String) {
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// Each key and value, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.0.retain(|(k, _)| keep(k));
        self.0.shrink_to_fit();
    }
}

impl FromIterator<(String, String)> for MergeValues {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> MergeValues {
        let mut values = MergeValues::default();
        for (key, value) in pairs {
            values.insert(key, value);
        }
        values
    }
}

impl Serialize for MergeValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for MergeValues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(deserializer)?;
        Ok(map.into_iter().collect())
    }
}

/// The values a contact gives its merge fields.
pub fn values_of(address: &str, fields: &ContactFields) -> MergeValues {
    let standard = fields.standard();
    let mut values: MergeValues = fields
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for ((key, _), value) in STANDARD.iter().zip(standard) {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            values.insert(key.to_string(), value.to_string());
        }
    }
    values.insert("email".into(), address.to_string());
    values
}

/// The fields a campaign may use: the standard ones and the custom fields its contacts have.
#[derive(Debug, Clone, Default)]
pub struct Known {
    custom: Vec<String>,
}

impl Known {
    pub fn new(custom: impl IntoIterator<Item = String>) -> Known {
        Known {
            custom: custom.into_iter().collect(),
        }
    }

    /// The key a field name stands for, if it is known.
    pub fn key(&self, name: &str) -> Option<String> {
        STANDARD
            .iter()
            .find(|(key, label)| *key == name || *label == name)
            .map(|(key, _)| key.to_string())
            .or_else(|| self.custom.iter().find(|c| *c == name).cloned())
    }

    /// The custom fields.
    pub fn custom(&self) -> &[String] {
        &self.custom
    }

    /// Every name a user may write: labels, keys, custom fields.
    pub fn names(&self) -> Vec<String> {
        let labels = STANDARD.iter().map(|(_, label)| label.to_string());
        let keys = STANDARD.iter().map(|(key, _)| key.to_string());
        labels
            .chain(keys)
            .chain(self.custom.iter().cloned())
            .collect()
    }

    /// The names offered for inserting: the standard fields by their Japanese labels or by
    /// their keys, then the custom fields.
    pub fn offered(&self, japanese: bool) -> Vec<String> {
        STANDARD
            .iter()
            .map(|(key, label)| if japanese { label } else { key }.to_string())
            .chain(self.custom.iter().cloned())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Field {
        /// As written, trimmed.
        name: String,
        fallback: Option<String>,
    },
}

/// A text with merge fields, parsed once and filled in for each recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

/// A mail's texts as templates: its subject, its HTML and, if the user wrote one, its text.
pub fn templates(subject: &str, html: &str, text: Option<&str>) -> Vec<Template> {
    [Some(subject), Some(html), text]
        .into_iter()
        .flatten()
        .map(Template::parse)
        .collect()
}

/// How a value is written into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insert {
    /// As text in HTML: escaped, so a contact's value can never become markup.
    Html,
    /// As is, for plain-text places such as the subject and the text part.
    Plain,
}

/// A recipient whose value would be followed by a second honorific (山田様様, 山田部長様).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HonorificClash {
    pub address: String,
    pub field: String,
    pub value: String,
}

impl Template {
    pub fn parse(text: &str) -> Template {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start + 2..].find("}}") else {
                break;
            };
            if start > 0 {
                parts.push(Part::Text(rest[..start].to_string()));
            }
            let inner = &rest[start + 2..start + 2 + len];
            let (name, fallback) = match inner.split_once('|') {
                Some((name, fallback)) => (name, Some(fallback.trim().to_string())),
                None => (inner, None),
            };
            parts.push(Part::Field {
                name: name.trim().to_string(),
                fallback: fallback.filter(|f| !f.is_empty()),
            });
            rest = &rest[start + 2 + len + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Template { parts }
    }

    /// The field names used, as written, in order and each once.
    pub fn fields(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for part in &self.parts {
            if let Part::Field { name, .. } = part
                && !names.contains(&name.as_str())
            {
                names.push(name);
            }
        }
        names
    }

    /// Fails on the first field that is not known, so a typo is caught while the mail is
    /// written rather than when it is sent.
    pub fn check(&self, known: &Known) -> Result<()> {
        match self.fields().into_iter().find(|f| known.key(f).is_none()) {
            Some(field) => Err(Error::UnknownMergeField {
                field: field.to_string(),
                known: known.names(),
            }),
            None => Ok(()),
        }
    }

    /// Fills in every field: its value, else its fallback, else nothing. When the text adds
    /// 様 right after a value that already ends in an honorific or a title, that 様 is left out.
    pub fn render(&self, known: &Known, values: &MergeValues, insert: Insert) -> String {
        let mut out = String::new();
        let mut skip_honorific = false;
        for part in &self.parts {
            match part {
                Part::Text(text) => {
                    let text = match ADDED_HONORIFICS.iter().find(|h| text.starts_with(*h)) {
                        Some(h) if skip_honorific => &text[h.len()..],
                        _ => text,
                    };
                    out.push_str(text);
                    skip_honorific = false;
                }
                Part::Field { name, fallback } => {
                    let value = value(known, values, name, fallback.as_deref());
                    skip_honorific = is_honorific(value);
                    match insert {
                        Insert::Html => escape_html_into(value, &mut out),
                        Insert::Plain => out.push_str(value),
                    }
                }
            }
        }
        out
    }

    /// Filled in only if every field has a value (or a fallback): for a file name, where an
    /// empty value would name some other file.
    pub fn render_complete(&self, known: &Known, values: &MergeValues) -> Option<String> {
        self.empty_fields(known, values)
            .is_empty()
            .then(|| self.render(known, values, Insert::Plain))
    }

    /// The fields, as written, that would come out empty for these values: no value and no
    /// fallback.
    pub fn empty_fields(&self, known: &Known, values: &MergeValues) -> Vec<&str> {
        let mut empty: Vec<&str> = Vec::new();
        for part in &self.parts {
            if let Part::Field { name, fallback } = part
                && value(known, values, name, fallback.as_deref()).is_empty()
                && !empty.contains(&name.as_str())
            {
                empty.push(name);
            }
        }
        empty
    }

    /// The recipient's fields that end in an honorific or a title where this text adds 様
    /// after them: the user is told, and the doubled 様 is not sent.
    pub fn honorific_clashes(
        &self,
        known: &Known,
        address: &str,
        values: &MergeValues,
    ) -> Vec<HonorificClash> {
        self.parts
            .windows(2)
            .filter_map(|pair| match pair {
                [Part::Field { name, fallback }, Part::Text(next)]
                    if ADDED_HONORIFICS.iter().any(|h| next.starts_with(h)) =>
                {
                    let value = value(known, values, name, fallback.as_deref());
                    is_honorific(value).then(|| HonorificClash {
                        address: address.to_string(),
                        field: name.clone(),
                        value: value.to_string(),
                    })
                }
                _ => None,
            })
            .collect()
    }
}

fn value<'a>(
    known: &Known,
    values: &'a MergeValues,
    name: &str,
    fallback: Option<&'a str>,
) -> &'a str {
    known
        .key(name)
        .and_then(|key| values.get(&key))
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
        .or(fallback)
        .unwrap_or("")
}

fn is_honorific(value: &str) -> bool {
    let value = value.trim_end();
    HONORIFICS.iter().chain(TITLES).any(|h| value.ends_with(h))
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> MergeValues {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn known() -> Known {
        Known::new(["顧客ID".to_string()])
    }

    fn render(text: &str, vals: &[(&str, &str)], insert: Insert) -> String {
        Template::parse(text).render(&known(), &values(vals), insert)
    }

    #[test]
    fn fills_fields_by_label_key_or_custom_name_and_escapes_html() {
        let vals = [("name", "<b>山田</b> & 子"), ("顧客ID", "C-1")];
        assert_eq!(
            render(
                "<p>{{ 氏名 }}さん {{name}} {{顧客ID}}</p>",
                &vals,
                Insert::Html
            ),
            "<p>&lt;b&gt;山田&lt;/b&gt; &amp; 子さん &lt;b&gt;山田&lt;/b&gt; &amp; 子 C-1</p>"
        );
        assert_eq!(
            render("{{氏名}}へ", &[("name", "<山田>")], Insert::Plain),
            "<山田>へ"
        );
    }

    #[test]
    fn an_empty_value_takes_the_fallback() {
        assert_eq!(
            render("{{氏名|ご担当者}}様", &[("name", " ")], Insert::Plain),
            "ご担当者様"
        );
        assert_eq!(render("a {{会社名}} b", &[], Insert::Plain), "a  b");
        assert_eq!(render("{{ unclosed", &[], Insert::Plain), "{{ unclosed");
    }

    #[test]
    fn never_doubles_an_honorific() {
        for (name, sent) in [
            ("山田様", "山田様、"),
            ("山田 部長", "山田 部長、"),
            ("営業部御中", "営業部御中、"),
            ("山田", "山田様、"),
        ] {
            assert_eq!(
                render("{{氏名}}様、", &[("name", name)], Insert::Plain),
                sent
            );
        }
        let template = Template::parse("{{氏名}}様 {{会社名}}");
        let clashes =
            template.honorific_clashes(&known(), "a@x.jp", &values(&[("name", "山田様")]));
        assert_eq!(
            clashes,
            [HonorificClash {
                address: "a@x.jp".into(),
                field: "氏名".into(),
                value: "山田様".into()
            }]
        );
    }

    #[test]
    fn unknown_fields_are_errors_that_list_the_known_ones() {
        assert!(
            Template::parse("{{氏名}} {{email}} {{顧客ID}}")
                .check(&known())
                .is_ok()
        );
        let err = Template::parse("{{氏名}} {{会社}}")
            .check(&known())
            .unwrap_err();
        match err {
            Error::UnknownMergeField { field, known } => {
                assert_eq!(field, "会社");
                assert!(known.contains(&"会社名".to_string()));
                assert!(known.contains(&"顧客ID".to_string()));
            }
            other => panic!("{other}"),
        }
    }
}
