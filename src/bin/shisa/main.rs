//! `shisa`: the core's workflow from a terminal — import, campaign, review, send, history — for
//! scripts, servers and benchmarks. Every path goes through the same checks as the desktop app.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod delivery;

use clap::{Parser, Subcommand};
use serde_json::json;
use std::sync::atomic::AtomicBool;

use shisa::compose::{Charset, NewCampaign};
use shisa::contacts::Mode;
use shisa::contacts::{self, Contact, ContactQuery, CsvEncoding, ExportOptions, SuppressionReason};
use shisa::import::mapping::Field;
use shisa::import::{ImportOptions, ImportReport, MapColumn};

use shisa::send::mailing::Mailing;
use shisa::send::{Outbox, RunOptions, runner};
use shisa::store::campaigns::CreatedCampaign;
use shisa::store::templates::{self, MailTemplate};
use shisa::{Db, Error, Result, history, import, store};

// Imports allocate and free millions of small strings; mimalloc does that several times faster
// than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "shisa",
    version,
    about = "Personal bulk mail, confirmed before it is sent"
)]
struct Cli {
    /// The database file (default: the one the desktop app uses).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import contacts from a workbook (.xlsx .xlsm .xlsb .xls .ods) or a CSV/TSV/text file.
    Import {
        file: PathBuf,
        /// The list the contacts join (created if new).
        #[arg(long, value_name = "NAME")]
        list: Option<String>,
        /// The sheet to read (default: the first one holding a table).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// The header row as the file numbers it (default: detected; 0: no header).
        #[arg(long, value_name = "N")]
        header_row: Option<u32>,
        /// Put a column (header, letter or number) into a field: email, name, last_name,
        /// first_name, kana, company, department, job_title, phone; or `custom` to keep it
        /// as a custom field.
        #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = parse_map)]
        map: Vec<MapColumn>,
        /// The text encoding, e.g. UTF-8, CP932, EUC-JP, UTF-16LE (default: detected).
        #[arg(long, value_name = "ENC")]
        encoding: Option<String>,
        /// add: new contacts only; update: existing ones only; upsert: both.
        #[arg(long, value_enum, default_value = "upsert")]
        mode: ImportMode,
        /// Check and report without storing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write campaigns.
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
    },
    /// Freeze a campaign into a plan and show it — recipients by domain, files, warnings,
    /// blockers, the time it takes through the account — with the digest that confirms it.
    Review {
        campaign: i64,
        #[command(flatten)]
        via: delivery::Via,
        /// The plan starts at this time (RFC 3339) instead of once confirmed; `send` must be
        /// given the same.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// The exact message one recipient of a campaign will get.
    Preview {
        campaign: i64,
        #[arg(long, value_name = "ADDRESS")]
        to: String,
        /// Write the message to this .eml file instead of printing it.
        #[arg(long, value_name = "OUT")]
        eml: Option<PathBuf>,
    },
    /// Mail templates: the starters and your own.
    Template {
        #[command(subcommand)]
        command: TemplateCommand,
    },
    /// Send a reviewed campaign through an account or server (the practice mailbox if neither
    /// is given). Runs until the campaign ends or pauses; safe to kill, `resume` continues.
    Send {
        campaign: i64,
        /// The digest printed by `shisa review`.
        #[arg(long, value_name = "DIGEST")]
        confirm: String,
        #[command(flatten)]
        via: delivery::Via,
        /// The start the plan was reviewed with (RFC 3339, e.g. 2026-12-01T09:00:00+09:00).
        #[arg(long, value_name = "TIME", conflicts_with = "hold")]
        at: Option<String>,
        /// Wait this many seconds before the first mail; `shisa cancel` stops it meanwhile.
        #[arg(long, value_name = "SECONDS")]
        hold: Option<u64>,
    },
    /// Continue a paused, interrupted or scheduled campaign.
    Resume {
        campaign: i64,
        #[command(flatten)]
        via: delivery::Via,
    },
    /// Pause a campaign that is sending (or scheduled); `resume` continues it.
    Pause { campaign: i64 },
    /// Cancel a campaign: nothing more is sent.
    Cancel { campaign: i64 },
    /// Send again to the failed and deferred recipients only.
    Retry {
        campaign: i64,
        /// Also the unknown ones: only when you know their mail did not arrive.
        #[arg(long)]
        unknown: bool,
        #[command(flatten)]
        via: delivery::Via,
    },
    /// SMTP accounts: server, login (password in the system keychain) and limits.
    Account {
        #[command(subcommand)]
        command: delivery::AccountCommand,
    },
    /// Campaigns, or one campaign's recipients and their states.
    History { campaign: Option<i64> },
    /// The address book: every contact with its fields, or an export of it.
    Contacts {
        #[command(subcommand)]
        command: ContactsCommand,
    },
    /// The suppression list: addresses that are never mailed.
    Suppress {
        #[command(subcommand)]
        command: SuppressCommand,
    },
}

#[derive(Subcommand)]
enum CampaignCommand {
    /// Create a campaign for a list; prints what it found (unknown merge fields are errors).
    New {
        #[arg(long, value_name = "NAME")]
        list: String,
        /// The subject; merge fields such as {{氏名}} are filled in per recipient.
        #[arg(long, value_name = "TEXT")]
        subject: Option<String>,
        /// The HTML body, with merge fields such as {{氏名|ご担当者}} or {{顧客ID}}.
        #[arg(
            long,
            value_name = "FILE",
            conflicts_with = "template",
            required_unless_present = "template"
        )]
        html: Option<PathBuf>,
        /// Start from a saved or starter template (see `shisa template list`).
        #[arg(long, value_name = "NAME")]
        template: Option<String>,
        /// The plain-text version (default: made from the HTML).
        #[arg(long, value_name = "FILE")]
        text: Option<PathBuf>,
        /// A file every recipient gets (repeatable).
        #[arg(long, value_name = "FILE")]
        attach: Vec<PathBuf>,
        /// Each recipient's own file: a path whose file name holds merge fields, e.g.
        /// "invoices/{{顧客ID}}.pdf".
        #[arg(long, value_name = "PATTERN")]
        attach_each: Option<String>,
        #[arg(long, value_name = "ADDR")]
        from: Option<String>,
        #[arg(long, value_name = "ADDR")]
        reply_to: Option<String>,
        /// An address that takes unsubscribe requests (List-Unsubscribe).
        #[arg(long, value_name = "ADDR")]
        unsubscribe: Option<String>,
        /// utf-8 (default) or iso-2022-jp.
        #[arg(long, value_name = "CHARSET")]
        charset: Option<String>,
    },
}

#[derive(Subcommand)]
enum TemplateCommand {
    /// Every template: your own, then the starters.
    List,
    /// One template's subject and HTML.
    Show { name: String },
    /// Save a template (replacing your own of the same name).
    Save {
        name: String,
        #[arg(long, value_name = "TEXT")]
        subject: String,
        #[arg(long, value_name = "FILE")]
        html: PathBuf,
        #[arg(long, value_name = "FILE")]
        text: Option<PathBuf>,
        /// The file name pattern of each recipient's own file, e.g. "{{顧客ID}}.pdf".
        #[arg(long, value_name = "PATTERN")]
        attach_each: Option<String>,
    },
    /// Copy a template (a starter too) under a new name.
    Duplicate { name: String, new_name: String },
    /// Delete one of your own templates.
    Delete { name: String },
}

#[derive(Subcommand)]
enum ContactsCommand {
    /// Every contact outside the trash with all its fields, by address.
    List {
        /// Only the members of this list.
        #[arg(long, value_name = "NAME")]
        list: Option<String>,
    },
    /// Write contacts to a .csv file (UTF-8 with a BOM unless --encoding cp932) or an .xlsx
    /// workbook, chosen by the file's extension.
    Export {
        file: PathBuf,
        /// Only the members of this list.
        #[arg(long, value_name = "NAME")]
        list: Option<String>,
        /// utf-8 or cp932, for a CSV file.
        #[arg(long, value_name = "ENC")]
        encoding: Option<CsvEncoding>,
    },
}

#[derive(Subcommand)]
enum SuppressCommand {
    /// Never mail these addresses again.
    Add {
        #[arg(required = true, value_name = "ADDRESS")]
        addresses: Vec<String>,
        /// unsubscribed, bounced, blocked or manual.
        #[arg(long, value_name = "TEXT", default_value = "manual")]
        reason: SuppressionReason,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Take addresses off the suppression list.
    Remove {
        #[arg(required = true, value_name = "ADDRESS")]
        addresses: Vec<String>,
    },
    /// Every suppressed address with its reason and date, newest first.
    List,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shisa: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let db_path = match cli.db {
        Some(path) => path,
        None => store::db_path(&store::data_dir()?),
    };
    let db = Db::open(&db_path)?;
    let out = Output { json: cli.json };
    match cli.command {
        Command::Import {
            file,
            list,
            sheet,
            header_row,
            map,
            encoding,
            mode,
            dry_run,
        } => {
            let options = ImportOptions {
                list,
                sheet,
                header_row,
                mapping: map,
                encoding,
                mode: mode.into(),
                dry_run,
            };
            let report =
                import::import_file(&db, &file, &options, |_| {}, &AtomicBool::new(false))?;
            out.print(&report, || import_summary(&report));
        }
        Command::Campaign {
            command:
                CampaignCommand::New {
                    list,
                    subject,
                    html,
                    template,
                    text,
                    attach,
                    attach_each,
                    from,
                    reply_to,
                    unsubscribe,
                    charset,
                },
        } => {
            let start = match &template {
                Some(name) => Some(store::templates::get(&db, name)?),
                None => None,
            };
            let read = |path: &PathBuf| std::fs::read_to_string(path).map_err(Error::io(path));
            let new = NewCampaign {
                list,
                subject: subject
                    .or_else(|| start.as_ref().map(|t| t.subject.clone()))
                    .ok_or(Error::EmptySubject)?,
                html: match (&html, &start) {
                    (Some(path), _) => read(path)?,
                    (None, Some(t)) => t.html.clone(),
                    (None, None) => String::new(),
                },
                text: text
                    .as_ref()
                    .map(read)
                    .transpose()?
                    .or_else(|| start.as_ref().and_then(|t| t.text.clone())),
                from,
                reply_to,
                unsubscribe,
                charset: charset
                    .map(|c| Charset::parse(&c).ok_or(Error::UnknownCharset(c)))
                    .transpose()?
                    .unwrap_or_default(),
                attachments: attach
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect(),
                images: Vec::new(),
                attach_each,
            };
            let summary = store::campaigns::create(&db, new)?;
            out.print(&summary, || campaign_summary(&summary));
        }
        Command::Preview { campaign, to, eml } => {
            let outbox = Outbox::practice(&practice_dir(&db_path))?;
            let plan = runner::freeze(&db, campaign, &outbox, &RunOptions::default(), None)?;
            let recipient = contacts::pick(&plan.snapshot.recipients, Some(&to), |r| &r.address)?;
            let from = outbox.sender(plan.snapshot.from.as_deref())?;
            let message = Mailing::new(&db, &plan, from)?
                .message(recipient)?
                .formatted();
            match eml {
                Some(path) => std::fs::write(&path, &message).map_err(Error::io(&path))?,
                None => print!("{}", String::from_utf8_lossy(&message)),
            }
        }
        Command::Template { command } => template_command(&db, &out, command)?,
        Command::Review { campaign, via, at } => {
            delivery::review(&db, &db_path, &out, campaign, &via, at.as_deref())?
        }
        Command::Send {
            campaign,
            confirm,
            via,
            at,
            hold,
        } => {
            let args = delivery::SendArgs {
                campaign,
                confirm,
                via,
                at,
                hold,
            };
            delivery::send(&db, &db_path, &out, args)?;
        }
        Command::Resume { campaign, via } => delivery::resume(&db, &db_path, &out, campaign, &via)?,
        Command::Pause { campaign } => {
            delivery::request(&db, &out, campaign, shisa::send::runs::Request::Pause)?
        }
        Command::Cancel { campaign } => {
            delivery::request(&db, &out, campaign, shisa::send::runs::Request::Cancel)?
        }
        Command::Retry {
            campaign,
            unknown,
            via,
        } => delivery::retry(&db, &db_path, &out, campaign, unknown, &via)?,
        Command::Account { command } => delivery::account_command(&db, &out, command)?,
        Command::History { campaign: None } => {
            let campaigns = history::campaigns(&db)?;
            out.print(&campaigns, || {
                campaigns
                    .iter()
                    .map(|c| {
                        format!(
                            "{:>4}  {}  {}  [{}]  sent {}/{}  failed {}  deferred {}  unknown {}",
                            c.id,
                            c.created_at,
                            c.subject,
                            c.list,
                            c.counts.sent,
                            c.counts.total,
                            c.counts.failed,
                            c.counts.deferred,
                            c.counts.unknown
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::History {
            campaign: Some(campaign),
        } => {
            let recipients = history::deliveries(&db, campaign)?;
            out.print(&json!({ "id": campaign, "recipients": recipients }), || {
                recipients
                    .iter()
                    .map(|d| {
                        format!(
                            "{:<8}  {}  {}",
                            d.state.as_str(),
                            d.address,
                            d.reply.as_deref().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Contacts { command } => contacts_command(&db, &out, command)?,
        Command::Suppress { command } => suppress_command(&db, &out, command)?,
    }
    Ok(())
}

fn contacts_command(db: &Db, out: &Output, command: ContactsCommand) -> Result<()> {
    match command {
        ContactsCommand::List { list } => {
            let query = ContactQuery {
                list,
                ..ContactQuery::default()
            };
            let contacts = contacts::query(db, &query)?.rows;
            out.print(&contacts, || {
                contacts
                    .iter()
                    .map(contact_line)
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ContactsCommand::Export {
            file,
            list,
            encoding,
        } => {
            let options = ExportOptions::for_path(&file, encoding)?;
            let query = ContactQuery {
                list,
                ..ContactQuery::default()
            };
            let written = contacts::export(db, &query, &file, &options)?;
            out.print(&json!({ "file": file, "contacts": written }), || {
                format!("{written} contacts written to {}", file.display())
            });
        }
    }
    Ok(())
}

/// One contact on one line: its address, then every field that has a value.
fn contact_line(c: &Contact) -> String {
    let standard = [
        ("name", &c.fields.name),
        ("last_name", &c.fields.last_name),
        ("first_name", &c.fields.first_name),
        ("kana", &c.fields.kana),
        ("company", &c.fields.company),
        ("department", &c.fields.department),
        ("job_title", &c.fields.job_title),
        ("phone", &c.fields.phone),
    ];
    let fields = standard
        .into_iter()
        .filter_map(|(key, value)| Some((key, value.as_deref()?)))
        .chain(
            c.fields
                .fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .map(|(key, value)| format!("{key}: {value}"));
    let joined = |names: &[String]| names.join(", ");
    let marks = [
        (!c.tags.is_empty()).then(|| format!("tags: {}", joined(&c.tags))),
        (!c.lists.is_empty()).then(|| format!("lists: {}", joined(&c.lists))),
        c.suppressed
            .as_ref()
            .map(|s| format!("suppressed: {}", s.reason.as_str())),
    ];
    let details: Vec<String> = fields.chain(marks.into_iter().flatten()).collect();
    format!("{}  {}", c.address, details.join("; "))
}

fn suppress_command(db: &Db, out: &Output, command: SuppressCommand) -> Result<()> {
    match command {
        SuppressCommand::Add {
            addresses,
            reason,
            note,
        } => {
            let added = contacts::suppress(db, &addresses, reason, note.as_deref())?;
            let already = addresses.len() as u32 - added;
            out.print(&json!({ "added": added, "already": already }), || {
                format!("{added} addresses suppressed ({already} already were)")
            });
        }
        SuppressCommand::Remove { addresses } => {
            let removed = contacts::unsuppress(db, &addresses)?;
            out.print(&json!({ "removed": removed }), || {
                format!("{removed} addresses taken off the suppression list")
            });
        }
        SuppressCommand::List => {
            let list = contacts::suppressions(db)?;
            out.print(&list, || {
                list.iter()
                    .map(|s| {
                        format!(
                            "{}  {}  {}  {}",
                            s.address,
                            s.reason.as_str(),
                            s.created_at,
                            s.note.as_deref().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

/// The import report for a person: what was read, what was stored, and every problem row.
fn campaign_summary(summary: &CreatedCampaign) -> String {
    let mut text = format!(
        "Campaign {}: {} recipients, largest message {} KB",
        summary.id,
        summary.recipients,
        summary.largest_message.div_ceil(1024)
    );
    if summary.too_large {
        text += " (larger than the warning size: servers may refuse it)";
    }
    for file in &summary.attachments {
        text += &format!(
            "\nAttached: {} ({} bytes, sha256 {})",
            file.name, file.size, file.sha256
        );
    }
    if summary.with_own_file > 0 || !summary.without_own_file.is_empty() {
        text += &format!(
            "\nOwn files: {} recipients; none found for {}",
            summary.with_own_file,
            summary.without_own_file.len()
        );
        for address in &summary.without_own_file {
            text += &format!("\n  no file: {address}");
        }
    }
    for clash in &summary.honorifics {
        text += &format!(
            "\nHonorific: {} {{{{{}}}}} = \"{}\" already ends in an honorific; the added 様 is left out",
            clash.address, clash.field, clash.value
        );
    }
    text
}

fn template_command(db: &Db, out: &Output, command: TemplateCommand) -> Result<()> {
    let read = |path: &PathBuf| std::fs::read_to_string(path).map_err(Error::io(path));
    match command {
        TemplateCommand::List => {
            let all = templates::list(db)?;
            out.print(&all, || {
                all.iter()
                    .map(|t| {
                        let kind = if t.starter { "starter" } else { "saved" };
                        format!("{}  [{kind}]  {}", t.name, t.subject)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TemplateCommand::Show { name } => {
            let t = templates::get(db, &name)?;
            out.print(&t, || {
                format!("{}\nSubject: {}\n\n{}", t.name, t.subject, t.html)
            });
        }
        TemplateCommand::Save {
            name,
            subject,
            html,
            text,
            attach_each,
        } => {
            let template = MailTemplate {
                name,
                subject,
                html: read(&html)?,
                text: text.as_ref().map(read).transpose()?,
                attach_each,
                images: Vec::new(),
                starter: false,
            };
            templates::save(db, &template)?;
            out.print(&template, || format!("Saved {}", template.name));
        }
        TemplateCommand::Duplicate { name, new_name } => {
            let copy = templates::duplicate(db, &name, &new_name)?;
            out.print(&copy, || format!("Saved {}", copy.name));
        }
        TemplateCommand::Delete { name } => {
            templates::delete(db, &name)?;
            out.print(&json!({ "deleted": name }), || format!("Deleted {name}"));
        }
    }
    Ok(())
}

fn import_summary(report: &ImportReport) -> String {
    let source = match (&report.sheet, &report.encoding) {
        (Some(sheet), _) => format!("{} sheet \"{sheet}\"", report.format),
        (None, Some(encoding)) => format!("{} ({encoding})", report.format),
        (None, None) => report.format.clone(),
    };
    let header = report
        .header_row
        .map_or("no header row".to_string(), |r| format!("header row {r}"));
    let mut text = format!(
        "{}{source}, {header}: {} rows, {} new, {} updated, {} unchanged, {} skipped, \
         {} duplicates, {} invalid{}",
        if report.dry_run { "[dry run] " } else { "" },
        report.rows,
        report.imported,
        report.updated,
        report.unchanged,
        report.skipped,
        report.duplicates,
        report.invalid.len(),
        report
            .list
            .as_ref()
            .map_or(String::new(), |l| format!(" (list \"{l}\")")),
    );
    for bad in &report.invalid {
        text += &format!("\n  row {}: {} ({})", bad.row, bad.value, bad.reason);
    }
    for warning in &report.warnings {
        let kind = serde_json::to_value(warning.kind).unwrap_or_default();
        text += &format!(
            "\n  row {}: {} [{}]",
            warning.row,
            warning.value,
            kind.as_str().unwrap_or("")
        );
        if let Some(suggestion) = &warning.suggestion {
            text += &format!(" did you mean {suggestion}?");
        }
    }
    text
}

fn parse_map(text: &str) -> std::result::Result<MapColumn, String> {
    let (field, column) = text.split_once('=').ok_or("expected FIELD=COLUMN")?;
    // `custom` keeps the column as a custom field named by its header.
    let field = match field.trim() {
        "custom" => None,
        name => Some(
            Field::parse(name).ok_or_else(|| Error::UnknownField(name.to_string()).to_string())?,
        ),
    };
    Ok(MapColumn {
        field,
        column: column.to_string(),
    })
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ImportMode {
    Add,
    Update,
    Upsert,
}

impl From<ImportMode> for Mode {
    fn from(mode: ImportMode) -> Mode {
        match mode {
            ImportMode::Add => Mode::Add,
            ImportMode::Update => Mode::Update,
            ImportMode::Upsert => Mode::Upsert,
        }
    }
}

/// The practice mailbox beside the database.
pub(crate) fn practice_dir(db_path: &Path) -> PathBuf {
    shisa::send::practice_mailbox(db_path.parent().unwrap_or(Path::new(".")))
}

struct Output {
    json: bool,
}

impl Output {
    fn print<T: serde::Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("output serialises")
            );
        } else {
            println!("{}", text());
        }
    }
}
