//! `IpcError`: the only error that crosses to the UI. The UI branches on `code`, a small closed
//! set, and shows `message`; it never parses the message.

use serde::Serialize;
use shisa::Error;
use ts_rs::TS;

#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    ImportFailed,
    NotConfirmed,
    PlanChanged,
    AlreadySent,
    Cancelled,
    Smtp,
    /// The campaign is being sent already, or its sending is over.
    RunState,
    Keychain,
    Io,
    Internal,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> IpcError {
        let code = match &e {
            Error::EmptyListName
            | Error::EmptySubject
            | Error::EmptyBody
            | Error::UnknownMergeField { .. }
            | Error::BadAddress { .. }
            | Error::BadSmtpUrl { .. }
            | Error::InsecureRemote { .. }
            | Error::NoFromAddress
            | Error::NoRecipients
            | Error::UnknownEncoding(_)
            | Error::NoSuchSheet { .. }
            | Error::NoSuchRow(_)
            | Error::NoSuchColumn { .. }
            | Error::UnknownField(_)
            | Error::DuplicateList(_)
            | Error::ListInUse { .. }
            | Error::DuplicateAddress { .. }
            | Error::EmptyTagName
            | Error::ExportFormat { .. }
            | Error::EncodingForWorkbook
            | Error::Unencodable { .. }
            | Error::NotInCharset { .. }
            | Error::UnknownCharset(_)
            | Error::MissingImage(_)
            | Error::NotAFile { .. }
            | Error::BadPattern(_)
            | Error::DuplicateTemplate(_)
            | Error::EmptyTemplateName
            | Error::BadTime(_)
            | Error::Blocked { .. }
            | Error::EmptyAccountName
            | Error::BadConnections(_)
            | Error::NoPassword(_) => ErrorCode::InvalidInput,
            Error::NoSuchList(_)
            | Error::NoSuchCampaign(_)
            | Error::NoSuchPlan(_)
            | Error::NoSuchContact(_)
            | Error::NoSuchTag(_)
            | Error::NoSuchTemplate(_)
            | Error::NotARecipient(_)
            | Error::NoSuchAccount(_)
            | Error::NoSuchPreset(_) => ErrorCode::NotFound,
            Error::EmptyFile { .. }
            | Error::NotText { .. }
            | Error::NotATable { .. }
            | Error::NotAWorkbook { .. }
            | Error::NoTable { .. }
            | Error::HugeCell { .. }
            | Error::BadSheet { .. }
            | Error::Csv { .. }
            | Error::NoAddressColumn { .. }
            | Error::NoValidRows { .. } => ErrorCode::ImportFailed,
            Error::NotConfirmed
            | Error::WrongDigest
            | Error::NotAcknowledged(_)
            | Error::WrongCount { .. } => ErrorCode::NotConfirmed,
            Error::PlanChanged | Error::RouteChanged | Error::SenderChanged => {
                ErrorCode::PlanChanged
            }
            Error::AlreadySent(_) => ErrorCode::AlreadySent,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Smtp(_) => ErrorCode::Smtp,
            Error::NotSent(_) | Error::RunOver(_) | Error::RunBusy => ErrorCode::RunState,
            Error::Keychain(_) => ErrorCode::Keychain,
            Error::Io { .. } | Error::NoDataDir | Error::FileChanged { .. } => ErrorCode::Io,
            Error::Db(_)
            | Error::Pool(_)
            | Error::Migration(_)
            | Error::Message { .. }
            | Error::Render(_)
            | Error::Xlsx(_) => ErrorCode::Internal,
        };
        IpcError {
            code,
            message: e.to_string(),
        }
    }
}

impl IpcError {
    pub fn internal(e: impl std::fmt::Display) -> IpcError {
        IpcError {
            code: ErrorCode::Internal,
            message: e.to_string(),
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
