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
    #[error("{}: line {line} is not valid {encoding} text; choose the file's encoding", path.display())]
    NotText {
        path: PathBuf,
        encoding: String,
        line: u64,
    },
    #[error("{}: this is neither a spreadsheet nor a text file", path.display())]
    NotATable { path: PathBuf },
    #[error("{}: this file looks like a workbook (ZIP or OLE) but cannot be opened as one", path.display())]
    NotAWorkbook { path: PathBuf },
    #[error("unknown text encoding \"{0}\" (try UTF-8, CP932, EUC-JP or UTF-16LE)")]
    UnknownEncoding(String),
    #[error("no sheet named \"{name}\" (sheets: {})", sheets.join(", "))]
    NoSuchSheet { name: String, sheets: Vec<String> },
    #[error("{}: no sheet holds a table", path.display())]
    NoTable { path: PathBuf },
    #[error("{}: {message}", path.display())]
    HugeCell { path: PathBuf, message: String },
    #[error("{}: the sheet \"{sheet}\" cannot be read: {message}", path.display())]
    BadSheet {
        path: PathBuf,
        sheet: String,
        message: String,
    },
    #[error("there is no row {0} in the table")]
    NoSuchRow(u32),
    #[error("no column \"{name}\" (columns: {})", columns.join(", "))]
    NoSuchColumn { name: String, columns: Vec<String> },
    #[error(
        "unknown field \"{0}\" (fields: email, name, last_name, first_name, kana, company, department, job_title, phone)"
    )]
    UnknownField(String),
    #[error("the import was cancelled; nothing was changed")]
    Cancelled,
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
    #[error("a list named \"{0}\" already exists")]
    DuplicateList(String),
    #[error(
        "the list \"{name}\" cannot be deleted: the history names it in {campaigns} campaign(s)"
    )]
    ListInUse { name: String, campaigns: u32 },
    #[error("no contact with id {0}")]
    NoSuchContact(i64),
    #[error("another contact{} already has the address {address}", if *in_trash { " (in the trash)" } else { "" })]
    DuplicateAddress { address: String, in_trash: bool },
    #[error("a tag needs a name")]
    EmptyTagName,
    #[error("no tag named \"{0}\"")]
    NoSuchTag(String),
    #[error("{}: export to a file ending in .csv or .xlsx", path.display())]
    ExportFormat { path: PathBuf },
    #[error("an encoding can be chosen for CSV files only; an .xlsx workbook needs none")]
    EncodingForWorkbook,
    #[error(
        "row {row} ({contact}), {column}: \"{character}\" cannot be written in CP932; export as UTF-8 or .xlsx instead"
    )]
    Unencodable {
        row: u32,
        contact: String,
        column: String,
        character: char,
    },
    #[error("the workbook could not be written: {0}")]
    Xlsx(String),

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
    #[error("the mail could not be prepared: {0}")]
    Render(String),
    #[error("ISO-2022-JP cannot carry these characters: {}; send in UTF-8 or change the text", characters.iter().collect::<String>())]
    NotInCharset { characters: Vec<char> },
    #[error("unknown character set \"{0}\" (use utf-8 or iso-2022-jp)")]
    UnknownCharset(String),
    #[error("the mail shows an image that is not in the campaign's files: {0}")]
    MissingImage(String),
    #[error("{}: an attachment must be a file", path.display())]
    NotAFile { path: PathBuf },
    #[error(
        "the stored file \"{name}\" changed since it was added (sha256 {sha256}); add it again"
    )]
    FileChanged { name: String, sha256: String },
    #[error("the pattern for per-recipient files needs a merge field in its file name: {0}")]
    BadPattern(String),
    #[error("no template named \"{0}\"")]
    NoSuchTemplate(String),
    #[error("a template named \"{0}\" already exists")]
    DuplicateTemplate(String),
    #[error("a template needs a name")]
    EmptyTemplateName,

    // review
    #[error("no campaign with id {0}")]
    NoSuchCampaign(i64),
    #[error("no plan with id {0}")]
    NoSuchPlan(i64),
    #[error("the list has no recipients to send to")]
    NoRecipients,
    #[error("{0} is not a recipient of this campaign")]
    NotARecipient(String),
    #[error("sending needs a confirmation of the reviewed plan (its digest)")]
    NotConfirmed,
    #[error("the confirmation does not match the reviewed plan: review it again")]
    WrongDigest,
    #[error("the campaign or its list changed after review: review it again")]
    PlanChanged,
    #[error(
        "the account, its limits or the start time are not those of the reviewed plan: review it again"
    )]
    RouteChanged,
    #[error(
        "the account was changed after this campaign was confirmed (server, login or sender): put it back as it was to go on, or cancel the campaign"
    )]
    SenderChanged,
    #[error("{0} was not ticked: every domain and every file must be confirmed one by one")]
    NotAcknowledged(String),
    #[error("the number of recipients typed ({}) is not the plan's {count}", typed.map_or("nothing".to_string(), |t| t.to_string()))]
    WrongCount { typed: Option<u32>, count: u32 },

    // send
    #[error(
        "campaign {0} was already sent, or is being sent, paused or scheduled: see it in History (a campaign cancelled before anything was sent may be sent again)"
    )]
    AlreadySent(i64),
    #[error(
        "{count} recipients are on the blocked list (e.g. {first}): remove them from the list, or from the blocked list in the settings"
    )]
    Blocked { count: u32, first: String },
    #[error("campaign {0} has not been sent")]
    NotSent(i64),
    #[error("campaign {0} was finished or cancelled: nothing more is sent")]
    RunOver(i64),
    #[error("this campaign is being sent right now, by this app or another window")]
    RunBusy,
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
    #[error("\"{0}\" is not a time: write it as 2026-12-01T09:00:00+09:00")]
    BadTime(String),
    #[error("the system keychain cannot be used: {0}")]
    Keychain(String),
    #[error("no account named \"{0}\"")]
    NoSuchAccount(String),
    #[error("no provider preset named \"{0}\"")]
    NoSuchPreset(String),
    #[error("the account needs a name")]
    EmptyAccountName,
    #[error("an account may use 1 to 32 connections, not {0}")]
    BadConnections(u32),
    #[error("no password for account \"{0}\": give it again (it lives in the system keychain)")]
    NoPassword(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns, for `map_err`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}
