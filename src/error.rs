//! The core's one error type, grouped by the workflow stage that raises it. Depends on nothing
//! but the libraries it wraps.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // store
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("database pool error: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database upgrade failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no folder for application data could be found on this computer")]
    NoDataDir,

    // import
    #[error("{}: the file is empty", path.display())]
    EmptyFile { path: PathBuf },
    #[error("{}: the file is not valid UTF-8 text (line {line})", path.display())]
    NotUtf8 { path: PathBuf, line: u64 },
    #[error("{}: row {row}: {message}", path.display())]
    Csv {
        path: PathBuf,
        row: u64,
        message: String,
    },
    #[error("{}: no column holds email addresses (columns: {})", path.display(), columns.join(", "))]
    NoAddressColumn { path: PathBuf, columns: Vec<String> },
    #[error("{}: no row holds a valid email address", path.display())]
    NoValidRows { path: PathBuf },

    // contacts
    #[error("a list needs a name")]
    EmptyListName,
    #[error("no list named \"{0}\"")]
    NoSuchList(String),

    // compose
    #[error("the subject is empty")]
    EmptySubject,
    #[error("the mail body is empty")]
    EmptyBody,
    #[error("unknown merge field {{{{{field}}}}}; known fields: {}", known.join(", "))]
    UnknownMergeField { field: String, known: Vec<String> },
    #[error("\"{value}\" is not a valid email address: {reason}")]
    BadAddress { value: String, reason: String },
    #[error("the message for {address} could not be built: {reason}")]
    Message { address: String, reason: String },

    // review
    #[error("no campaign with id {0}")]
    NoSuchCampaign(i64),
    #[error("no plan with id {0}")]
    NoSuchPlan(i64),
    #[error("the list has no recipients to send to")]
    NoRecipients,
    #[error("sending needs a confirmation of the reviewed plan (its digest)")]
    NotConfirmed,
    #[error("the confirmation does not match the reviewed plan: review it again")]
    WrongDigest,
    #[error("the campaign or its list changed after review: review it again")]
    PlanChanged,

    // send
    #[error("this plan was already sent (campaign {0})")]
    AlreadySent(i64),
    #[error(
        "no From address: give one on the campaign, or use an account whose user is an address"
    )]
    NoFromAddress,
    #[error("bad SMTP address \"{url}\": {reason}")]
    BadSmtpUrl { url: String, reason: String },
    #[error(
        "refusing to send without TLS to {host}: only a loopback test server may be used without TLS"
    )]
    InsecureRemote { host: String },
    #[error("SMTP: {0}")]
    Smtp(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns, for `map_err`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}
