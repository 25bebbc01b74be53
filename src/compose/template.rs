//! Merge fields: `{{name}}` placeholders in a subject or body, checked when the mail is written
//! and filled in per recipient when it is sent.

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// The fields every contact has.
pub const KNOWN_FIELDS: &[&str] = &["name", "email"];

/// One recipient's values, by field name.
pub type MergeValues = BTreeMap<String, String>;

/// Every `{{field}}` in `text`, in order of appearance (inner spaces ignored).
fn placeholders(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + text[from..].find("{{")?;
        let end = start + 2 + text[start + 2..].find("}}")?;
        from = end + 2;
        Some((start, end + 2, text[start + 2..end].trim()))
    })
}

/// Fails on the first placeholder that names no known field, so a typo is caught while the mail
/// is written rather than when it is sent.
pub fn check(text: &str) -> Result<()> {
    match placeholders(text).find(|(_, _, f)| !KNOWN_FIELDS.contains(f)) {
        Some((_, _, field)) => Err(Error::UnknownMergeField {
            field: field.to_string(),
            known: KNOWN_FIELDS.iter().map(|f| f.to_string()).collect(),
        }),
        None => Ok(()),
    }
}

/// How a value is written into the text.
#[derive(Clone, Copy)]
pub enum Insert {
    /// As text in HTML: escaped, so a contact's value can never become markup.
    Html,
    /// As is, for plain-text places such as the subject.
    Plain,
}

/// Fills every placeholder with its value; a field with no value becomes empty.
pub fn render(text: &str, values: &MergeValues, insert: Insert) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, field) in placeholders(text) {
        out.push_str(&text[last..start]);
        let value = values.get(field).map_or("", String::as_str);
        match insert {
            Insert::Html => out.push_str(&escape_html(value)),
            Insert::Plain => out.push_str(value),
        }
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(name: &str) -> MergeValues {
        [("name".to_string(), name.to_string())].into()
    }

    #[test]
    fn fills_fields_and_escapes_html() {
        let html = render(
            "<p>{{ name }} 様</p>",
            &values("<b>山田</b> & 子"),
            Insert::Html,
        );
        assert_eq!(html, "<p>&lt;b&gt;山田&lt;/b&gt; &amp; 子 様</p>");
        assert_eq!(
            render("{{name}}様へ", &values("<山田>"), Insert::Plain),
            "<山田>様へ"
        );
    }

    #[test]
    fn missing_values_become_empty_and_text_without_fields_is_unchanged() {
        assert_eq!(render("a {{email}} b", &values("x"), Insert::Plain), "a  b");
        assert_eq!(
            render("{{ unclosed", &values("x"), Insert::Plain),
            "{{ unclosed"
        );
    }

    #[test]
    fn unknown_fields_are_errors() {
        assert!(check("{{name}} {{email}}").is_ok());
        let err = check("{{name}} {{会社}}").unwrap_err();
        assert!(matches!(err, Error::UnknownMergeField { field, .. } if field == "会社"));
    }
}
