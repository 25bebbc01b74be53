//! A plan made ready to send: the texts prepared and the shared files read from the store and
//! checked once, then one message built per recipient — the exact message the preview shows
//! and the run sends.

use std::str::FromStr;

use lettre::Message;
use lettre::message::Mailbox;

use crate::compose::merge::Known;
use crate::compose::message::{self, Envelope, Part};
use crate::compose::render::{Content, Prepared};
use crate::error::{Error, Result};
use crate::review::{Plan, PlanRecipient};
use crate::store::Db;

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
