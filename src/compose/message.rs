//! One recipient's mail as MIME: From, a single To, Reply-To, the merged subject, a text and an
//! HTML alternative, inline images the HTML shows by `cid:`, and attachments.
//!
//! ```text
//! multipart/mixed                      only with attachments
//! ├── multipart/alternative
//! │   ├── text/plain
//! │   └── multipart/related            only with inline images
//! │       ├── text/html
//! │       └── image/* (Content-ID)
//! └── attachments (Content-Disposition: attachment; filename*=…)
//! ```

use std::time::SystemTime;

use base64::Engine;
use lettre::Message;
use lettre::message::header::{
    ContentDisposition, ContentTransferEncoding, ContentType, HeaderName, HeaderValue,
};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};

use super::charset::Charset;
use super::render::Personal;
use crate::error::{Error, Result};

/// A file as it goes into every message that carries it: encoded once, cloned per message.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    content_type: ContentType,
    body: Body,
}

impl Part {
    /// A file named `name` (its type is taken from the extension).
    pub fn new(name: &str, bytes: Vec<u8>) -> Part {
        let mime = mime_guess::from_path(name).first_or_octet_stream();
        // RFC 2047 `name=` beside RFC 2231 `filename*=`: older Outlook reads only the former.
        let content_type = if name.is_ascii() && !name.contains('"') {
            format!("{mime}; name=\"{name}\"")
        } else {
            let encoded = base64::engine::general_purpose::STANDARD.encode(name);
            format!("{mime}; name=\"=?UTF-8?B?{encoded}?=\"")
        };
        Part {
            name: name.to_string(),
            content_type: ContentType::parse(&content_type)
                .unwrap_or(ContentType::parse(mime.as_ref()).expect("a known type parses")),
            body: Body::new(bytes),
        }
    }

    /// The size the part adds to a message once encoded.
    pub fn encoded_len(&self) -> usize {
        self.body.len()
    }

    fn attachment(&self) -> SinglePart {
        SinglePart::builder()
            .header(ContentDisposition::attachment(&self.name))
            .header(self.content_type.clone())
            .body(self.body.clone())
    }

    fn inline(&self, cid: &str) -> SinglePart {
        lettre::message::Attachment::new_inline(cid.to_string())
            .body(self.body.clone(), self.content_type.clone())
    }
}

/// Everything about a message that is not its text: who it is from and to, and its files.
pub struct Envelope<'a> {
    pub from: &'a Mailbox,
    pub to: &'a Mailbox,
    pub reply_to: Option<&'a Mailbox>,
    /// An address that takes unsubscribe requests, offered as a `List-Unsubscribe` header.
    pub unsubscribe: Option<&'a str>,
    pub message_id: &'a str,
    pub date: SystemTime,
    pub charset: Charset,
    /// Images the HTML shows, by content id.
    pub inline: &'a [(String, Part)],
    pub attachments: &'a [&'a Part],
}

/// A Message-ID under the sender's own domain, so the computer's name never appears in mail.
pub fn message_id(from: &Mailbox) -> String {
    format!(
        "<{}@{}>",
        uuid::Uuid::new_v4().simple(),
        from.email.domain()
    )
}

/// Builds the message. There is exactly one To and never a Cc or Bcc: each recipient gets a
/// mail of their own. lettre normalises line endings to CRLF and picks the transfer encoding,
/// so no bare LF or unstuffed dot reaches the wire.
pub fn build(envelope: &Envelope, mail: &Personal) -> Result<Message> {
    let failed = |reason: String| Error::Message {
        address: envelope.to.email.to_string(),
        reason,
    };
    let mut builder = Message::builder()
        .from(envelope.from.clone())
        .to(envelope.to.clone())
        .message_id(Some(envelope.message_id.to_string()))
        .date(envelope.date);
    if let Some(reply_to) = envelope.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    if let Some(address) = envelope.unsubscribe {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<mailto:{address}?subject=unsubscribe>"),
        ));
    }
    builder = match envelope.charset {
        Charset::Utf8 => builder.subject(mail.subject.clone()),
        Charset::Iso2022Jp => builder.raw_header(HeaderValue::dangerous_new_pre_encoded(
            HeaderName::new_from_ascii_str("Subject"),
            mail.subject.clone(),
            envelope
                .charset
                .encode_header(&mail.subject)
                .map_err(failed)?,
        )),
    };
    let text = text_part(envelope.charset, "plain", &mail.text).map_err(failed)?;
    let html = text_part(
        envelope.charset,
        "html",
        &html_in(envelope.charset, &mail.html),
    )
    .map_err(failed)?;
    let html = if envelope.inline.is_empty() {
        MultiPart::alternative().singlepart(text).singlepart(html)
    } else {
        let related = envelope.inline.iter().fold(
            MultiPart::related().singlepart(html),
            |related, (cid, part)| related.singlepart(part.inline(cid)),
        );
        MultiPart::alternative().singlepart(text).multipart(related)
    };
    let body = if envelope.attachments.is_empty() {
        html
    } else {
        envelope
            .attachments
            .iter()
            .fold(MultiPart::mixed().multipart(html), |mixed, part| {
                mixed.singlepart(part.attachment())
            })
    };
    builder.multipart(body).map_err(|e| failed(e.to_string()))
}

/// The HTML document declares the charset it is sent in.
fn html_in(charset: Charset, html: &str) -> String {
    match charset {
        Charset::Utf8 => html.to_string(),
        Charset::Iso2022Jp => html.replacen(
            "<meta charset=\"utf-8\">",
            "<meta charset=\"iso-2022-jp\">",
            1,
        ),
    }
}

fn text_part(
    charset: Charset,
    subtype: &str,
    text: &str,
) -> std::result::Result<SinglePart, String> {
    let content_type = ContentType::parse(&format!("text/{subtype}; charset={}", charset.label()))
        .expect("a text type parses");
    let body = match charset {
        Charset::Utf8 => Body::new(text.to_string()),
        // JIS text goes as 7bit, as old readers expect, unless a line is longer than mail
        // allows (998 bytes); then as base64, which every reader decodes.
        Charset::Iso2022Jp => {
            let bytes = charset.encode(text)?;
            Body::new_with_encoding(bytes, ContentTransferEncoding::SevenBit)
                .or_else(|bytes| Body::new_with_encoding(bytes, ContentTransferEncoding::Base64))
                .map_err(|_| "the text could not be encoded".to_string())?
        }
    };
    Ok(SinglePart::builder().header(content_type).body(body))
}
