//! One recipient's mail as MIME: From, a single To, the merged subject and HTML body.

use lettre::Message;
use lettre::message::{Mailbox, SinglePart};

use crate::error::{Error, Result};

/// A Message-ID under the sender's own domain, so the computer's name never appears in mail.
fn message_id(from: &Mailbox) -> String {
    format!(
        "<{}@{}>",
        uuid::Uuid::new_v4().simple(),
        from.email.domain()
    )
}

/// Builds the message for one recipient. There is exactly one To and never a Cc or Bcc: each
/// recipient gets a mail of their own. lettre normalises line endings to CRLF and picks the
/// transfer encoding, so no bare LF or unstuffed dot reaches the wire.
pub fn build(from: &Mailbox, to: &Mailbox, subject: &str, html: String) -> Result<Message> {
    Message::builder()
        .from(from.clone())
        .to(to.clone())
        .subject(subject)
        .message_id(Some(message_id(from)))
        .singlepart(SinglePart::html(html))
        .map_err(|e| Error::Message {
            address: to.email.to_string(),
            reason: e.to_string(),
        })
}
