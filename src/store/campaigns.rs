//! Stored campaigns: writing one checks it against its list — merge fields, honorifics, the
//! charset, each recipient's own file, the size of the largest message — and copies every file
//! it carries into the store.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Db;
use super::files::StoredFile;
use super::preferences;
use crate::compose::draft::{AttachEach, image_cid};
use crate::compose::merge::{self, HonorificClash, Known, MergeValues, Template, values_of};
use crate::compose::render::{Content, Prepared};
use crate::compose::{Charset, Draft, NewCampaign};
use crate::contacts::{self, Recipient};
use crate::error::{Error, Result};

/// A file a campaign carries for everyone: an attachment, or an image the HTML shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CampaignFile {
    pub file: StoredFile,
    /// Set for an inline image: the `cid:` the HTML shows it by.
    pub content_id: Option<String>,
}

/// A stored campaign with the list it is written for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: i64,
    pub list_id: i64,
    pub list: String,
    pub subject: String,
    pub html: String,
    pub text: Option<String>,
    pub from: Option<String>,
    pub reply_to: Option<String>,
    pub unsubscribe: Option<String>,
    pub charset: Charset,
    pub attach_each: Option<String>,
    pub files: Vec<CampaignFile>,
    /// Each recipient's own file, by address.
    pub recipient_files: BTreeMap<String, StoredFile>,
}

/// What checking (and writing) a campaign found, for the user to see before the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CreatedCampaign {
    /// 0 when the campaign was only checked.
    #[ts(type = "number")]
    pub id: i64,
    pub recipients: u32,
    pub attachments: Vec<StoredFile>,
    /// Recipients who get a file of their own.
    pub with_own_file: u32,
    /// Recipients the per-recipient pattern found no file for.
    pub without_own_file: Vec<String>,
    /// Where a value already ends in 様 or a title and the mail adds 様: that 様 is left out.
    pub honorifics: Vec<HonorificClash>,
    /// The largest message, in bytes as sent.
    #[ts(type = "number")]
    pub largest_message: u64,
    /// Larger than `warn_above`, the user's preferred limit.
    pub too_large: bool,
    #[ts(type = "number")]
    pub warn_above: u64,
}

/// A draft checked against its list: ready to be previewed, tested or stored.
pub struct Checked {
    list_id: i64,
    pub known: Known,
    pub draft: Draft,
    pub recipients: Vec<Recipient>,
    prepared: Prepared,
}

pub fn check(db: &Db, new: NewCampaign) -> Result<Checked> {
    let conn = db.conn()?;
    let list_id = contacts::list_id(&conn, &new.list)?;
    let known = Known::new(contacts::custom_fields(&conn, list_id)?);
    let draft = new.validate(&known)?;
    let recipients = contacts::recipients(&conn, list_id)?.contacts;
    let prepared = Prepared::new(&content(&draft), known.clone())?;
    Ok(Checked {
        list_id,
        known,
        draft,
        recipients,
        prepared,
    })
}

impl Checked {
    /// The recipient with this address, or the first one.
    pub fn recipient(&self, address: Option<&str>) -> Result<&Recipient> {
        contacts::pick(&self.recipients, address, |r| &r.address)
    }

    /// The recipient's own file, if the pattern names one that exists.
    pub fn own_file(&self, values: &MergeValues) -> Option<PathBuf> {
        own_file(&self.draft, &self.known, values)
    }

    fn templates(&self) -> Vec<Template> {
        let d = &self.draft;
        merge::templates(&d.subject, &d.html, d.text.as_deref())
    }
}

/// Checks the campaign against its list and stores its files and the campaign itself.
pub fn create(db: &Db, new: NewCampaign) -> Result<CreatedCampaign> {
    examine(db, new, true)
}

/// Everything `create` would find, without storing the campaign: what the user sees before
/// deciding to go on.
pub fn survey(db: &Db, new: NewCampaign) -> Result<CreatedCampaign> {
    examine(db, new, false)
}

fn examine(db: &Db, new: NewCampaign, store: bool) -> Result<CreatedCampaign> {
    let checked = check(db, new)?;
    let Checked {
        list_id,
        known,
        draft,
        recipients,
        prepared,
    } = &checked;
    let templates = checked.templates();
    let attachments = draft
        .attachments
        .iter()
        .map(|path| db.files().add(path))
        .collect::<Result<Vec<_>>>()?;
    for image in &draft.images {
        db.files().read(image)?;
    }
    let shared_bytes: u64 = attachments
        .iter()
        .chain(&draft.images)
        .map(|f| encoded_size(f.size))
        .sum();

    let mut summary = CreatedCampaign {
        id: 0,
        recipients: recipients.len() as u32,
        attachments: attachments.clone(),
        with_own_file: 0,
        without_own_file: Vec::new(),
        honorifics: Vec::new(),
        largest_message: 0,
        too_large: false,
        warn_above: preferences::load(db)?.large_message_bytes(),
    };
    let mut own_files = BTreeMap::new();
    let mut unencodable = Vec::new();
    for Recipient {
        address, fields, ..
    } in recipients
    {
        let values = values_of(address, fields);
        let mail = prepared.personal(&values);
        for c in draft
            .charset
            .unencodable([mail.subject.as_str(), &mail.html, &mail.text])
        {
            if !unencodable.contains(&c) {
                unencodable.push(c);
            }
        }
        for template in &templates {
            for clash in template.honorific_clashes(known, address, &values) {
                if !summary.honorifics.contains(&clash) {
                    summary.honorifics.push(clash);
                }
            }
        }
        let own = own_file(draft, known, &values)
            .map(|path| db.files().add(&path))
            .transpose()?;
        match &own {
            Some(file) => {
                summary.with_own_file += 1;
                own_files.insert(address.clone(), file.clone());
            }
            None if draft.attach_each.is_some() => summary.without_own_file.push(address.clone()),
            None => {}
        }
        let size = (mail.html.len() + mail.text.len() + mail.subject.len()) as u64
            + shared_bytes
            + own.map_or(0, |f| encoded_size(f.size));
        summary.largest_message = summary.largest_message.max(size);
    }
    if !unencodable.is_empty() {
        return Err(Error::NotInCharset {
            characters: unencodable,
        });
    }
    summary.too_large = summary.largest_message > summary.warn_above;
    if store {
        summary.id = insert(db, *list_id, draft, &attachments, &own_files)?;
    }
    Ok(summary)
}

/// One recipient's mail as the compose view previews it, before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MailPreview {
    /// Every recipient, in the order a send takes them, to pick or step through.
    pub recipients: Vec<String>,
    pub address: String,
    pub subject: String,
    /// The HTML as sent, with inline images as `data:` URLs so the preview can show them.
    pub html: String,
    pub text: String,
    /// The files this recipient gets: everyone's, then their own.
    pub attachments: Vec<String>,
    pub honorifics: Vec<HonorificClash>,
    /// Characters of this mail the chosen charset cannot carry.
    pub unencodable: Vec<String>,
}

/// The mail `address` (default: the first recipient) would get if the campaign were written
/// now. Unknown merge fields and bad addresses are errors, as when writing it.
pub fn preview(db: &Db, new: NewCampaign, address: Option<&str>) -> Result<MailPreview> {
    let checked = check(db, new)?;
    let recipient = checked.recipient(address)?;
    let draft = &checked.draft;
    let values = values_of(&recipient.address, &recipient.fields);
    let mail = checked.prepared.personal(&values);
    let images = draft.images.iter().map(|f| (image_cid(f), f));
    let html = show_images(db, mail.html, images)?;
    let own = own_file(draft, &checked.known, &values).filter(|p| p.is_file());
    let attachments = draft
        .attachments
        .iter()
        .chain(own.as_ref())
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let honorifics = checked
        .templates()
        .iter()
        .flat_map(|t| t.honorific_clashes(&checked.known, &recipient.address, &values))
        .collect();
    let unencodable = draft
        .charset
        .unencodable([mail.subject.as_str(), &html, &mail.text])
        .into_iter()
        .map(String::from)
        .collect();
    Ok(MailPreview {
        recipients: checked
            .recipients
            .iter()
            .map(|r| r.address.clone())
            .collect(),
        address: recipient.address.clone(),
        subject: mail.subject,
        html,
        text: mail.text,
        attachments,
        honorifics,
        unencodable,
    })
}

/// Which file the per-recipient pattern gives each recipient of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OwnFile {
    pub address: String,
    /// The file's name, if the pattern found one.
    pub file: Option<String>,
    #[ts(type = "number | null")]
    pub size: Option<u64>,
}

pub fn own_files(db: &Db, list: &str, pattern: &str) -> Result<Vec<OwnFile>> {
    let conn = db.conn()?;
    let list_id = contacts::list_id(&conn, list)?;
    let known = Known::new(contacts::custom_fields(&conn, list_id)?);
    let each = AttachEach::parse(pattern.trim(), &known)?;
    let recipients = contacts::recipients(&conn, list_id)?.contacts;
    Ok(recipients
        .into_iter()
        .map(|r| {
            let values = values_of(&r.address, &r.fields);
            let found = each.file_for(&known, &values).and_then(|p| {
                std::fs::metadata(&p)
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| (p, m))
            });
            OwnFile {
                address: r.address,
                file: found
                    .as_ref()
                    .and_then(|(p, _)| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned()),
                size: found.map(|(_, m)| m.len()),
            }
        })
        .collect())
}

/// A campaign's files in their stored order: the attachments, then the images the HTML shows.
pub fn files_of(attachments: &[StoredFile], images: &[StoredFile]) -> Vec<CampaignFile> {
    let attached = attachments.iter().map(|f| (f, None));
    let shown = images.iter().map(|f| (f, Some(image_cid(f))));
    attached
        .chain(shown)
        .map(|(f, content_id)| CampaignFile {
            file: f.clone(),
            content_id,
        })
        .collect()
}

/// `html` with each image it shows by `cid:` (given as content id and stored file) turned
/// into a `data:` URL read from the store, so that the app can show it.
pub fn show_images<'a>(
    db: &Db,
    mut html: String,
    images: impl IntoIterator<Item = (String, &'a StoredFile)>,
) -> Result<String> {
    for (cid, file) in images {
        let url = data_url(&file.name, &db.files().read(file)?);
        html = html.replace(&format!("cid:{cid}"), &url);
    }
    Ok(html)
}

/// A file's bytes as a `data:` URL, for showing an image inside the app.
pub fn data_url(name: &str, bytes: &[u8]) -> String {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("data:{mime};base64,{encoded}")
}

/// The campaign's texts, as rendering takes them.
fn content(draft: &Draft) -> Content {
    Content {
        subject: draft.subject.clone(),
        html: draft.html.clone(),
        text: draft.text.clone(),
    }
}

/// About the size a file adds to a message: base64 grows it by a third, plus line breaks.
fn encoded_size(size: u64) -> u64 {
    size.div_ceil(57) * 78
}

/// The recipient's own file, if the pattern names one that exists.
fn own_file(draft: &Draft, known: &Known, values: &MergeValues) -> Option<PathBuf> {
    draft
        .attach_each
        .as_ref()
        .and_then(|each| each.file_for(known, values))
        .filter(|path| path.is_file())
}

fn insert(
    db: &Db,
    list_id: i64,
    draft: &Draft,
    attachments: &[StoredFile],
    own_files: &BTreeMap<String, StoredFile>,
) -> Result<i64> {
    let now = db.now();
    db.with_tx(|tx| {
        tx.execute(
            "INSERT INTO campaigns (list_id, subject, html, text, from_addr, reply_to,
                 unsubscribe, charset, attach_each, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                list_id,
                draft.subject,
                draft.html,
                draft.text,
                draft.from,
                draft.reply_to,
                draft.unsubscribe,
                draft.charset.label().to_ascii_lowercase(),
                draft.attach_each.as_ref().map(|e| &e.pattern),
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        let mut file = tx.prepare(
            "INSERT INTO campaign_files (campaign_id, position, name, size, sha256, content_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (
            position,
            CampaignFile {
                file: f,
                content_id,
            },
        ) in files_of(attachments, &draft.images).iter().enumerate()
        {
            file.execute(params![
                id,
                position as i64,
                f.name,
                f.size as i64,
                f.sha256,
                content_id
            ])?;
        }
        let mut own = tx.prepare(
            "INSERT INTO recipient_files (campaign_id, address, name, size, sha256)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (address, f) in own_files {
            own.execute(params![id, address, f.name, f.size as i64, f.sha256])?;
        }
        Ok(id)
    })
}

pub fn get(conn: &rusqlite::Connection, id: i64) -> Result<Campaign> {
    let mut campaign = conn
        .query_row(
            "SELECT c.id, c.list_id, l.name, c.subject, c.html, c.text, c.from_addr, c.reply_to,
                    c.unsubscribe, c.charset, c.attach_each
             FROM campaigns c JOIN lists l ON l.id = c.list_id WHERE c.id = ?1",
            [id],
            |r| {
                Ok(Campaign {
                    id: r.get(0)?,
                    list_id: r.get(1)?,
                    list: r.get(2)?,
                    subject: r.get(3)?,
                    html: r.get(4)?,
                    text: r.get(5)?,
                    from: r.get(6)?,
                    reply_to: r.get(7)?,
                    unsubscribe: r.get(8)?,
                    charset: Charset::parse(&r.get::<_, String>(9)?).unwrap_or_default(),
                    attach_each: r.get(10)?,
                    files: Vec::new(),
                    recipient_files: BTreeMap::new(),
                })
            },
        )
        .optional()?
        .ok_or(Error::NoSuchCampaign(id))?;
    let stored = |r: &rusqlite::Row, at: usize| -> rusqlite::Result<StoredFile> {
        Ok(StoredFile {
            name: r.get(at)?,
            size: r.get::<_, i64>(at + 1)? as u64,
            sha256: r.get(at + 2)?,
        })
    };
    let mut files = conn.prepare(
        "SELECT name, size, sha256, content_id FROM campaign_files
         WHERE campaign_id = ?1 ORDER BY position",
    )?;
    campaign.files = files
        .query_map([id], |r| {
            Ok(CampaignFile {
                file: stored(r, 0)?,
                content_id: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut own = conn.prepare(
        "SELECT address, name, size, sha256 FROM recipient_files WHERE campaign_id = ?1",
    )?;
    campaign.recipient_files = own
        .query_map([id], |r| Ok((r.get(0)?, stored(r, 1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(campaign)
}
