//! A campaign as the user writes it, checked and cleaned before it is stored.

use std::str::FromStr;

use lettre::message::Mailbox;
use serde::Deserialize;
use ts_rs::TS;

use super::template;
use crate::error::{Error, Result};

/// What the compose form (or the CLI) hands in.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewCampaign {
    pub list: String,
    pub subject: String,
    pub html: String,
    pub from: Option<String>,
}

/// A campaign that passed every check: known merge fields, a parseable From, sanitised HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub list: String,
    pub subject: String,
    pub html: String,
    pub from: Option<String>,
}

impl NewCampaign {
    pub fn validate(self) -> Result<Draft> {
        let subject = self.subject.trim().to_string();
        if subject.is_empty() {
            return Err(Error::EmptySubject);
        }
        // Sanitise first so the check and the stored text are the same bytes.
        let html = ammonia::clean(&self.html);
        if html.trim().is_empty() {
            return Err(Error::EmptyBody);
        }
        template::check(&subject)?;
        template::check(&html)?;
        let from = match self.from.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(from) => Some(mailbox(from)?.to_string()),
        };
        Ok(Draft {
            list: self.list.trim().to_string(),
            subject,
            html,
            from,
        })
    }
}

/// Parses `Name <addr>` or a bare address.
pub fn mailbox(value: &str) -> Result<Mailbox> {
    Mailbox::from_str(value).map_err(|e| Error::BadAddress {
        value: value.to_string(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(subject: &str, html: &str, from: Option<&str>) -> NewCampaign {
        NewCampaign {
            list: " 顧客 ".into(),
            subject: subject.into(),
            html: html.into(),
            from: from.map(Into::into),
        }
    }

    #[test]
    fn sanitises_html_and_keeps_merge_fields() {
        let draft = new(
            " ご案内 ",
            "<p onclick=\"x()\">{{name}} 様</p><script>x()</script>",
            None,
        )
        .validate()
        .unwrap();
        assert_eq!(draft.html, "<p>{{name}} 様</p>");
        assert_eq!(
            (draft.subject.as_str(), draft.list.as_str()),
            ("ご案内", "顧客")
        );
    }

    #[test]
    fn rejects_empty_parts_unknown_fields_and_bad_from() {
        assert!(matches!(
            new(" ", "<p>x</p>", None).validate(),
            Err(Error::EmptySubject)
        ));
        assert!(matches!(
            new("s", "<script></script>", None).validate(),
            Err(Error::EmptyBody)
        ));
        assert!(matches!(
            new("{{会社}}", "<p>x</p>", None).validate(),
            Err(Error::UnknownMergeField { .. })
        ));
        assert!(matches!(
            new("s", "<p>x</p>", Some("not an address")).validate(),
            Err(Error::BadAddress { .. })
        ));
    }

    #[test]
    fn normalises_the_from_mailbox() {
        let draft = new("s", "<p>x</p>", Some("Shisa 事務局 <office@example.jp>"))
            .validate()
            .unwrap();
        assert_eq!(
            draft.from.as_deref(),
            Some("Shisa 事務局 <office@example.jp>")
        );
    }
}
