//! `shisa`: the core's workflow from a terminal — import, campaign, review, send, history — for
//! scripts, servers and benchmarks. Every path goes through the same checks as the desktop app.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::json;
use shisa::compose::NewCampaign;
use shisa::review::{Confirmation, plan};
use shisa::send::{Outbox, SmtpAccount};
use shisa::{Db, Error, Result, history, import, store};

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
    /// Import contacts from a CSV file into a list.
    Import {
        file: PathBuf,
        #[arg(long, value_name = "NAME")]
        list: String,
    },
    /// Write campaigns.
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
    },
    /// Freeze a campaign into a plan and show it, with the digest that confirms it.
    Review { campaign: i64 },
    /// Send a reviewed campaign (to the practice mailbox unless --smtp is given).
    Send {
        campaign: i64,
        /// The digest printed by `shisa review`.
        #[arg(long, value_name = "DIGEST")]
        confirm: String,
        /// smtp://user@host:port (STARTTLS), smtps://user@host:port (TLS) or
        /// smtp+insecure://127.0.0.1:port (no TLS, this computer only). The password comes from
        /// SHISA_SMTP_PASSWORD.
        #[arg(long, value_name = "URL")]
        smtp: Option<String>,
        /// An extra trusted root certificate (PEM) for a server signed by a private authority.
        #[arg(long, value_name = "FILE", requires = "smtp")]
        tls_ca: Option<PathBuf>,
    },
    /// Campaigns, or one campaign's recipients and their states.
    History { campaign: Option<i64> },
}

#[derive(Subcommand)]
enum CampaignCommand {
    /// Create a campaign for a list; prints its id.
    New {
        #[arg(long, value_name = "NAME")]
        list: String,
        #[arg(long, value_name = "TEXT")]
        subject: String,
        /// The HTML body; {{name}} and {{email}} are filled in per recipient.
        #[arg(long, value_name = "FILE")]
        html: PathBuf,
        #[arg(long, value_name = "ADDR")]
        from: Option<String>,
    },
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
        Command::Import { file, list } => {
            let report = import::import_file(&db, &file, &list)?;
            out.print(&report, || {
                let mut text = format!(
                    "{} rows read into list \"{}\": {} new, {} updated, {} duplicates, {} invalid",
                    report.rows,
                    report.list,
                    report.imported,
                    report.updated,
                    report.duplicates,
                    report.invalid.len()
                );
                for bad in &report.invalid {
                    text += &format!("\n  row {}: {} ({})", bad.row, bad.value, bad.reason);
                }
                text
            });
        }
        Command::Campaign {
            command:
                CampaignCommand::New {
                    list,
                    subject,
                    html,
                    from,
                },
        } => {
            let html = std::fs::read_to_string(&html).map_err(Error::io(&html))?;
            let draft = NewCampaign {
                list,
                subject,
                html,
                from,
            }
            .validate()?;
            let id = store::campaigns::create(&db, &draft)?;
            out.print(&json!({ "id": id }), || id.to_string());
        }
        Command::Review { campaign } => {
            let plan = plan::build(&db, campaign)?;
            let value = json!({
                "id": plan.campaign_id,
                "plan": plan.id,
                "digest": plan.digest,
                "list": plan.list,
                "subject": plan.subject,
                "from": plan.from,
                "count": plan.recipients.len(),
                "recipients": plan.recipients,
            });
            out.print(&value, || {
                let mut text = format!(
                    "Campaign {}: {}\nFrom: {}\nList: {}\nRecipients: {}",
                    plan.campaign_id,
                    plan.subject,
                    plan.from.as_deref().unwrap_or("(the account's address)"),
                    plan.list,
                    plan.recipients.len()
                );
                for r in &plan.recipients {
                    text += &format!("\n  {}  {}", r.address, r.name.as_deref().unwrap_or(""));
                }
                text += &format!(
                    "\nDigest: {}\nTo send: shisa send {} --confirm {}",
                    plan.digest, plan.campaign_id, plan.digest
                );
                text
            });
        }
        Command::Send {
            campaign,
            confirm,
            smtp,
            tls_ca,
        } => {
            let plan_id = plan::latest(&*db.conn()?, campaign)?.ok_or(Error::NotConfirmed)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(Error::io(&db_path))?;
            let confirmation = Confirmation { digest: confirm };
            // The SMTP transport lives inside the runtime: its connection pool needs one.
            let summary = runtime.block_on(async {
                let outbox = outbox(&db_path, smtp.as_deref(), tls_ca.as_deref())?;
                shisa::send::send(&db, plan_id, &confirmation, &outbox, |_| {}).await
            })?;
            let recipients = history::deliveries(&db, campaign)?;
            let value = json!({
                "id": summary.campaign_id,
                "total": summary.total,
                "sent": summary.sent,
                "failed": summary.failed,
                "deferred": summary.deferred,
                "unknown": summary.unknown,
                "practice": summary.practice,
                "recipients": recipients,
            });
            out.print(&value, || {
                format!(
                    "Campaign {}: {} of {} sent{} ({} failed, {} deferred, {} unknown)",
                    summary.campaign_id,
                    summary.sent,
                    summary.total,
                    if summary.practice {
                        " to the practice mailbox"
                    } else {
                        ""
                    },
                    summary.failed,
                    summary.deferred,
                    summary.unknown
                )
            });
        }
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
                            c.sent,
                            c.total,
                            c.failed,
                            c.deferred,
                            c.unknown
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
    }
    Ok(())
}

/// Where `send` delivers: the SMTP server named by `--smtp`, else the practice mailbox that
/// sits beside the database.
fn outbox(db_path: &Path, smtp: Option<&str>, tls_ca: Option<&Path>) -> Result<Outbox> {
    let Some(url) = smtp else {
        let data_dir = db_path.parent().unwrap_or(Path::new("."));
        return Outbox::practice(&shisa::send::practice_mailbox(data_dir));
    };
    let mut account = SmtpAccount::from_url(url, std::env::var("SHISA_SMTP_PASSWORD").ok())?;
    if let Some(ca) = tls_ca {
        account
            .extra_roots
            .push(std::fs::read(ca).map_err(Error::io(ca))?);
    }
    Outbox::smtp(&account)
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
