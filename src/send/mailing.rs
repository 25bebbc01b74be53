//! A plan made ready to send: the texts prepared and the shared files read from the store and
//! checked once, then one message built per recipient — the exact message the preview shows
//! and the run sends.

use std::str::FromStr;

use lettre::Message;
use lettre::message::Mailbox;

use crate::compose::merge::{self, Known};
use crate::compose::message::{self, Envelope, Part};
use crate::compose::render::{Content, Prepared};
use crate::contacts;
use crate::error::{Error, Result};
use crate::review::{Plan, PlanRecipient};
use crate::store::Db;
use crate::store::campaigns::{self, MailPreview};

pub struct Mailing {
    prepared: Prepared,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    unsubscribe: Option<String>,
    charset: crate::compose::Charset,
    attachments: Vec<Part>,
    inline: Vec<(String, Part)>,
    db: Db,
}

/// The plan's texts, ready to be personalised.
pub fn prepare(plan: &Plan) -> Result<Prepared> {
    let snapshot = &plan.snapshot;
    let content = Content {
        subject: snapshot.subject.clone(),
        html: snapshot.html.clone(),
        text: snapshot.text.clone(),
    };
    Prepared::new(&content, Known::new(snapshot.custom_fields.clone()))
}

impl Mailing {
    /// Fails if a shared file is missing or no longer matches its hash: then nothing is sent.
    pub fn new(db: &Db, plan: &Plan, from: Mailbox) -> Result<Mailing> {
        let snapshot = &plan.snapshot;
        let prepared = prepare(plan)?;
        let mut attachments = Vec::new();
        let mut inline = Vec::new();
        for f in &snapshot.files {
            let part = Part::new(&f.file.name, db.files().read(&f.file)?);
            match &f.content_id {
                Some(cid) => inline.push((cid.clone(), part)),
                None => attachments.push(part),
            }
        }
        Ok(Mailing {
            prepared,
            from,
            reply_to: snapshot
                .reply_to
                .as_deref()
                .map(crate::compose::draft::mailbox)
                .transpose()?,
            unsubscribe: snapshot.unsubscribe.clone(),
            charset: snapshot.charset,
            attachments,
            inline,
            db: db.clone(),
        })
    }

    /// The message for one recipient of the plan, with its own file read and checked.
    pub fn message(&self, recipient: &PlanRecipient) -> Result<Message> {
        let address = Mailbox::from_str(&recipient.address).map_err(|e| Error::Message {
            address: recipient.address.clone(),
            reason: e.to_string(),
        })?;
        let to = Mailbox::new(recipient.name.clone(), address.email);
        let own = recipient
            .file
            .as_ref()
            .map(|f| {
                self.db
                    .files()
                    .read(f)
                    .map(|bytes| Part::new(&f.name, bytes))
            })
            .transpose()?;
        let attachments: Vec<&Part> = self.attachments.iter().chain(own.as_ref()).collect();
        let message_id = message::message_id(&self.from);
        let envelope = Envelope {
            from: &self.from,
            to: &to,
            reply_to: self.reply_to.as_ref(),
            unsubscribe: self.unsubscribe.as_deref(),
            message_id: &message_id,
            date: self.db.instant(),
            charset: self.charset,
            inline: &self.inline,
            attachments: &attachments,
        };
        message::build(&envelope, &self.prepared.personal(&recipient.values))
    }
}

/// One recipient's mail of a reviewed plan as the review shows it: merged exactly as it will
/// be sent, inline images as `data:` URLs (default: the first recipient).
pub fn preview(db: &Db, plan: &Plan, address: Option<&str>) -> Result<MailPreview> {
    let snapshot = &plan.snapshot;
    let recipient = contacts::pick(&snapshot.recipients, address, |r| &r.address)?;
    let mail = prepare(plan)?.personal(&recipient.values);
    let known = Known::new(snapshot.custom_fields.clone());
    let honorifics = merge::templates(&snapshot.subject, &snapshot.html, snapshot.text.as_deref())
        .iter()
        .flat_map(|t| t.honorific_clashes(&known, &recipient.address, &recipient.values))
        .collect();
    let unencodable = snapshot
        .charset
        .unencodable([mail.subject.as_str(), &mail.html, &mail.text])
        .into_iter()
        .map(String::from)
        .collect();
    let images = snapshot
        .files
        .iter()
        .filter_map(|f| f.content_id.clone().map(|cid| (cid, &f.file)));
    let html = campaigns::show_images(db, mail.html, images)?;
    let attachments = snapshot
        .files
        .iter()
        .filter(|f| f.content_id.is_none())
        .map(|f| &f.file)
        .chain(&recipient.file)
        .map(|f| f.name.clone())
        .collect();
    Ok(MailPreview {
        recipients: snapshot
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
