//! From what the user wrote to what each recipient reads. The work that is the same for every
//! recipient — the mail's stylesheet inlined into the HTML, the plain-text alternative — is
//! done once per campaign; per recipient only the merge fields are filled in.

use super::merge::{Insert, Known, MergeValues, Template};
use crate::error::{Error, Result};

/// The mail's own stylesheet. Mail clients ignore or strip `<style>` (Gmail in many views,
/// Outlook partly), so its rules are written into each element's `style` attribute.
const MAIL_CSS: &str = "
.shisa-mail { font-family: 'Hiragino Sans', 'Hiragino Kaku Gothic ProN', Meiryo, 'Yu Gothic', sans-serif;
  font-size: 15px; line-height: 1.7; color: #222222; max-width: 640px; }
p { margin: 0 0 1em 0; }
h1 { font-size: 24px; line-height: 1.4; margin: 0 0 0.6em 0; }
h2 { font-size: 20px; line-height: 1.4; margin: 0 0 0.6em 0; }
h3 { font-size: 17px; line-height: 1.4; margin: 0 0 0.6em 0; }
table { border-collapse: collapse; }
td, th { border: 1px solid #cccccc; padding: 6px 10px; vertical-align: top; }
th { background-color: #f4f4f4; }
a { color: #1a5fb4; }
a.shisa-button { display: inline-block; padding: 10px 24px; background-color: #1a5fb4;
  color: #ffffff; text-decoration: none; border-radius: 6px; font-weight: bold; }
hr { border: 0; border-top: 1px solid #dddddd; margin: 1.5em 0; }
img { max-width: 100%; }
";

/// Wide enough that the text part never wraps a line, and so never splits a merge field.
const TEXT_WIDTH: usize = 100_000;

/// A campaign's texts as written: the subject, the sanitised HTML body and, if the user
/// wrote one, the plain-text version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub subject: String,
    pub html: String,
    pub text: Option<String>,
}

/// A campaign ready to be personalised.
#[derive(Debug, Clone)]
pub struct Prepared {
    known: Known,
    subject: Template,
    html: Template,
    text: Template,
}

/// One recipient's subject and bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Personal {
    pub subject: String,
    pub html: String,
    pub text: String,
}

impl Prepared {
    pub fn new(content: &Content, known: Known) -> Result<Prepared> {
        let document = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <style>{MAIL_CSS}</style></head><body><div class=\"shisa-mail\">{}</div></body></html>",
            content.html
        );
        let html = css_inline::CSSInliner::options()
            .load_remote_stylesheets(false)
            .build()
            .inline(&document)
            .map_err(|e| Error::Render(e.to_string()))?;
        let text = match &content.text {
            Some(text) if !text.trim().is_empty() => text.clone(),
            _ => html2text::from_read(content.html.as_bytes(), TEXT_WIDTH)
                .map_err(|e| Error::Render(e.to_string()))?,
        };
        Ok(Prepared {
            subject: Template::parse(&content.subject),
            html: Template::parse(&html),
            text: Template::parse(&text),
            known,
        })
    }

    pub fn personal(&self, values: &MergeValues) -> Personal {
        Personal {
            // A subject is one line: a value with a line break must not start a new header.
            subject: self
                .subject
                .render(&self.known, values, Insert::Plain)
                .replace(['\r', '\n'], " "),
            html: self.html.render(&self.known, values, Insert::Html),
            text: self.text.render(&self.known, values, Insert::Plain),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(html: &str, text: Option<&str>) -> Prepared {
        let content = Content {
            subject: "{{氏名}}様へのご案内".into(),
            html: html.into(),
            text: text.map(Into::into),
        };
        Prepared::new(&content, Known::default()).unwrap()
    }

    fn values(name: &str) -> MergeValues {
        [("name".to_string(), name.to_string())]
            .into_iter()
            .collect()
    }

    #[test]
    fn inlines_the_stylesheet_and_merges_each_part() {
        let mail = prepared(
            "<p>{{氏名}}様</p><p><a class=\"shisa-button\" href=\"https://example.jp/\">申し込む</a></p>",
            None,
        )
        .personal(&values("<山田>"));
        assert_eq!(mail.subject, "<山田>様へのご案内");
        assert!(
            mail.html
                .contains("<p style=\"margin: 0 0 1em 0;\">&lt;山田&gt;様</p>"),
            "{}",
            mail.html
        );
        assert!(
            mail.html.contains("background-color: #1a5fb4"),
            "{}",
            mail.html
        );
        assert!(!mail.html.contains("<style"), "{}", mail.html);
        assert!(mail.text.starts_with("<山田>様\n"), "{}", mail.text);
        assert!(mail.text.contains("https://example.jp/"), "{}", mail.text);
    }

    #[test]
    fn the_users_own_text_part_wins_and_subjects_stay_one_line() {
        let mail =
            prepared("<p>x</p>", Some("{{氏名}}様\nテキスト版")).personal(&values("山田\r\n太郎"));
        assert_eq!(mail.text, "山田\r\n太郎様\nテキスト版");
        assert_eq!(mail.subject, "山田  太郎様へのご案内");
    }
}
