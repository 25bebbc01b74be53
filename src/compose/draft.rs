//! A campaign as the user writes it, checked and cleaned before it is stored.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::charset::Charset;
use super::merge::{self, Known, MergeValues, Template};
use super::sanitize::sanitize;
use crate::error::{Error, Result};
use crate::store::files::StoredFile;

/// What the compose view (or the CLI) hands in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewCampaign {
    pub list: String,
    pub subject: String,
    pub html: String,
    /// The plain-text version; made from the HTML when not given.
    pub text: Option<String>,
    pub from: Option<String>,
    pub reply_to: Option<String>,
    /// An address that takes unsubscribe requests (sent as a `List-Unsubscribe` header).
    pub unsubscribe: Option<String>,
    pub charset: Charset,
    /// Files every recipient gets, as paths; they are copied into the app's store.
    pub attachments: Vec<String>,
    /// Images the HTML shows by `cid:`, already in the store (see [`image_cid`]).
    pub images: Vec<StoredFile>,
    /// Each recipient's own file: a path whose file name holds merge fields, such as
    /// `C:\請求書\{{顧客ID}}.pdf`.
    pub attach_each: Option<String>,
}

/// A campaign that passed every check: known merge fields, parseable addresses, sanitised HTML
/// whose images are all among its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub list: String,
    pub subject: String,
    pub html: String,
    pub text: Option<String>,
    pub from: Option<String>,
    pub reply_to: Option<String>,
    pub unsubscribe: Option<String>,
    pub charset: Charset,
    pub attachments: Vec<PathBuf>,
    pub images: Vec<StoredFile>,
    pub attach_each: Option<AttachEach>,
}

/// The content id an image in the store is shown by: `<img src="cid:…">`.
pub fn image_cid(file: &StoredFile) -> String {
    format!("{}@shisa", file.sha256)
}

impl NewCampaign {
    /// Checks everything that needs no database; `known` are the fields the list's contacts
    /// have.
    pub fn validate(self, known: &Known) -> Result<Draft> {
        let subject = self.subject.trim().to_string();
        if subject.is_empty() {
            return Err(Error::EmptySubject);
        }
        // Sanitise first so the check and the stored text are the same bytes.
        let html = sanitize(&self.html);
        if html.trim().is_empty() {
            return Err(Error::EmptyBody);
        }
        let text = self.text.filter(|t| !t.trim().is_empty());
        for template in merge::templates(&subject, &html, text.as_deref()) {
            template.check(known)?;
        }
        let images = images_shown(&html, self.images)?;
        let attach_each = self
            .attach_each
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| AttachEach::parse(p, known))
            .transpose()?;
        Ok(Draft {
            list: self.list.trim().to_string(),
            subject,
            html,
            text,
            from: optional_mailbox(self.from)?,
            reply_to: optional_mailbox(self.reply_to)?,
            unsubscribe: optional_mailbox(self.unsubscribe)?
                .map(|m| mailbox(&m).map(|m| m.email.to_string()))
                .transpose()?,
            charset: self.charset,
            attachments: self.attachments.iter().map(PathBuf::from).collect(),
            images,
            attach_each,
        })
    }
}

/// The images among `offered` that the HTML shows; every `cid:` it shows must be one of them.
fn images_shown(html: &str, offered: Vec<StoredFile>) -> Result<Vec<StoredFile>> {
    let shown: Vec<&str> = html
        .split("src=\"cid:")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    if let Some(missing) = shown
        .iter()
        .find(|cid| !offered.iter().any(|f| image_cid(f) == **cid))
    {
        return Err(Error::MissingImage(missing.to_string()));
    }
    let mut images: Vec<StoredFile> = Vec::new();
    for file in offered {
        if shown.contains(&image_cid(&file).as_str()) && !images.contains(&file) {
            images.push(file);
        }
    }
    Ok(images)
}

fn optional_mailbox(value: Option<String>) -> Result<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => Ok(Some(mailbox(value)?.to_string())),
    }
}

/// Parses `Name <addr>` or a bare address.
pub fn mailbox(value: &str) -> Result<Mailbox> {
    Mailbox::from_str(value).map_err(|e| Error::BadAddress {
        value: value.to_string(),
        reason: e.to_string(),
    })
}

/// Each recipient's own file: a folder and a file name with merge fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachEach {
    pub pattern: String,
    folder: PathBuf,
    name: Template,
}

impl AttachEach {
    /// Merge fields may stand only in the file name, so a contact's value picks a file within
    /// the folder and never another folder.
    pub fn parse(pattern: &str, known: &Known) -> Result<AttachEach> {
        let path = Path::new(pattern);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let template = Template::parse(&name);
        if template.fields().is_empty() || folder.to_string_lossy().contains("{{") {
            return Err(Error::BadPattern(pattern.to_string()));
        }
        template.check(known)?;
        Ok(AttachEach {
            pattern: pattern.to_string(),
            folder,
            name: template,
        })
    }

    /// The file this recipient gets, if their values make a plain file name.
    pub fn file_for(&self, known: &Known, values: &MergeValues) -> Option<PathBuf> {
        let name = self.name.render_complete(known, values)?;
        let plain = !name.contains(['/', '\\'])
            && Path::new(&name).file_name() == Some(std::ffi::OsStr::new(&name));
        plain.then(|| self.folder.join(name))
    }
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
            ..NewCampaign::default()
        }
    }

    fn known() -> Known {
        Known::new(["顧客ID".to_string()])
    }

    #[test]
    fn sanitises_html_and_keeps_merge_fields() {
        let draft = new(
            " ご案内 ",
            "<p onclick=\"x()\">{{氏名|ご担当者}} 様</p><script>x()</script>",
            None,
        )
        .validate(&known())
        .unwrap();
        assert_eq!(draft.html, "<p>{{氏名|ご担当者}} 様</p>");
        assert_eq!(
            (draft.subject.as_str(), draft.list.as_str()),
            ("ご案内", "顧客")
        );
    }

    #[test]
    fn rejects_empty_parts_unknown_fields_and_bad_addresses() {
        let invalid = |n: NewCampaign| n.validate(&known()).unwrap_err();
        assert!(matches!(
            invalid(new(" ", "<p>x</p>", None)),
            Error::EmptySubject
        ));
        assert!(matches!(
            invalid(new("s", "<script></script>", None)),
            Error::EmptyBody
        ));
        assert!(matches!(
            invalid(new("{{会社}}", "<p>x</p>", None)),
            Error::UnknownMergeField { .. }
        ));
        let mut text = new("s", "<p>x</p>", None);
        text.text = Some("{{部門}}".into());
        assert!(matches!(invalid(text), Error::UnknownMergeField { .. }));
        assert!(matches!(
            invalid(new("s", "<p>x</p>", Some("not an address"))),
            Error::BadAddress { .. }
        ));
        let mut reply = new("s", "<p>x</p>", None);
        reply.reply_to = Some("a@@x".into());
        assert!(matches!(invalid(reply), Error::BadAddress { .. }));
    }

    #[test]
    fn normalises_addresses() {
        let mut campaign = new("s", "<p>x</p>", Some("Shisa 事務局 <office@example.jp>"));
        campaign.unsubscribe = Some(" 配信停止 <stop@example.jp> ".into());
        let draft = campaign.validate(&known()).unwrap();
        assert_eq!(
            draft.from.as_deref(),
            Some("Shisa 事務局 <office@example.jp>")
        );
        assert_eq!(draft.unsubscribe.as_deref(), Some("stop@example.jp"));
    }

    #[test]
    fn every_image_shown_must_be_among_the_files() {
        let logo = StoredFile {
            name: "logo.png".into(),
            size: 3,
            sha256: "ab".repeat(32),
        };
        let unused = StoredFile {
            sha256: "cd".repeat(32),
            ..logo.clone()
        };
        let html = format!("<p><img src=\"cid:{}\"></p>", image_cid(&logo));
        let mut campaign = new("s", &html, None);
        campaign.images = vec![logo.clone(), unused];
        assert_eq!(campaign.clone().validate(&known()).unwrap().images, [logo]);
        campaign.images.clear();
        assert!(matches!(
            campaign.validate(&known()),
            Err(Error::MissingImage(_))
        ));
    }

    #[test]
    fn per_recipient_files_stay_in_their_folder() {
        let each = AttachEach::parse("/請求書/{{顧客ID}}.pdf", &known()).unwrap();
        let file = |id: &str| {
            each.file_for(
                &known(),
                &[("顧客ID".to_string(), id.to_string())]
                    .into_iter()
                    .collect(),
            )
        };
        assert_eq!(file("C-1"), Some(PathBuf::from("/請求書/C-1.pdf")));
        assert_eq!(file("../etc/passwd"), None);
        assert_eq!(file(""), None);
        assert!(matches!(
            AttachEach::parse("/{{顧客ID}}/a.pdf", &known()),
            Err(Error::BadPattern(_))
        ));
        assert!(matches!(
            AttachEach::parse("/請求書/a.pdf", &known()),
            Err(Error::BadPattern(_))
        ));
    }
}
