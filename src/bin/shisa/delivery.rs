//! The CLI's sending commands: accounts, send, resume, pause, cancel, retry and a campaign's
//! history. `send` and `resume` run in the foreground until the campaign ends or pauses; they
//! are safe to kill at any moment, and `resume` picks up exactly where they stopped.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;

use shisa::review::checks::DomainKind;
use shisa::review::{Confirmation, plan};
use shisa::send::accounts::{self, Account, AccountForm};
use shisa::send::connection::StepReport;
use shisa::send::limits::{self, DAY, HOUR, Limits, MINUTE};
use shisa::send::runs::{self, Request, RunState};
use shisa::send::secrets::Keychain;
use shisa::send::{Outbox, RunOptions, SendProgress, SendSummary, SmtpAccount, preflight, runner};
use shisa::{Db, Error, Result};

use crate::Output;

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Save an SMTP account. The password comes from SHISA_SMTP_PASSWORD or stdin and is kept
    /// in the system keychain.
    Add {
        name: String,
        /// smtp://user@host:port (STARTTLS), smtps://user@host:port (TLS) or
        /// smtp+insecure://127.0.0.1:port (no TLS, this computer only).
        #[arg(long, value_name = "URL")]
        smtp: String,
        /// Start from a provider's published limits (see `shisa account presets`).
        #[arg(long, value_name = "NAME")]
        preset: Option<String>,
        #[arg(long, value_name = "N")]
        per_minute: Option<u32>,
        #[arg(long, value_name = "N")]
        per_hour: Option<u32>,
        #[arg(long, value_name = "N")]
        per_day: Option<u32>,
        /// How many connections at once (1 to 32).
        #[arg(long, value_name = "N")]
        connections: Option<u32>,
        /// The sender when a campaign names none.
        #[arg(long, value_name = "ADDR")]
        from: Option<String>,
    },
    /// Every saved account with its limits.
    List,
    /// Connect and log in, step by step: DNS, TCP, TLS, AUTH.
    Test {
        name: String,
        /// An extra trusted root certificate (PEM) for a server signed by a private authority.
        #[arg(long, value_name = "FILE")]
        tls_ca: Option<PathBuf>,
    },
    /// Delete an account and its password.
    Delete { name: String },
    /// The providers' published limits the presets carry.
    Presets,
}

/// Where a campaign goes: a saved account, a server given by URL, or (neither) the practice
/// mailbox beside the database.
#[derive(Args, Clone, Default)]
pub struct Via {
    #[arg(long, value_name = "NAME", conflicts_with = "smtp")]
    account: Option<String>,
    /// A server without a saved account; the password comes from SHISA_SMTP_PASSWORD.
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// An extra trusted root certificate (PEM) for a server signed by a private authority.
    #[arg(long, value_name = "FILE")]
    tls_ca: Option<PathBuf>,
}

pub fn account_command(db: &Db, out: &Output, command: AccountCommand) -> Result<()> {
    match command {
        AccountCommand::Add {
            name,
            smtp,
            preset,
            per_minute,
            per_hour,
            per_day,
            connections,
            from,
        } => {
            let server = SmtpAccount::from_url(&smtp, None)?;
            let mut limits = match &preset {
                Some(key) => {
                    limits::find_preset(key)
                        .ok_or_else(|| Error::NoSuchPreset(key.clone()))?
                        .limits
                }
                None => Limits::default(),
            };
            for (seconds, max) in [(MINUTE, per_minute), (HOUR, per_hour), (DAY, per_day)] {
                if max.is_some() {
                    limits.set(seconds, max);
                }
            }
            if let Some(connections) = connections {
                limits.connections = connections;
            }
            let password = match &server.user {
                Some(_) => Some(password()?),
                None => None,
            };
            let account = Account {
                name,
                host: server.host,
                port: server.port,
                security: server.security,
                user: server.user,
                from,
                preset,
                limits,
            };
            let saved = accounts::save(db, &Keychain, AccountForm { account, password })?;
            out.print(&saved, || format!("Saved {}", account_line(&saved)));
        }
        AccountCommand::List => {
            let all = accounts::list(db)?;
            out.print(&all, || {
                all.iter().map(account_line).collect::<Vec<_>>().join("\n")
            });
        }
        AccountCommand::Test { name, tls_ca } => {
            let (_, smtp) = accounts::open(db, &Keychain, &name)?;
            let smtp = with_ca(
                smtp,
                &Via {
                    tls_ca,
                    ..Via::default()
                },
            )?;
            let mut steps: Vec<StepReport> = Vec::new();
            let opened = runtime()?.block_on(async {
                let outbox = Outbox::smtp(&smtp)?;
                match outbox.open(|step| steps.push(step)).await {
                    Ok(courier) => {
                        courier.close().await;
                        Ok(None)
                    }
                    Err(e) => Ok::<_, Error>(Some(e.to_string())),
                }
            })?;
            out.print(&json!({ "ok": opened.is_none(), "steps": steps }), || {
                steps
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {:<4} {} ({} ms)",
                            if s.ok { "ok  " } else { "FAIL" },
                            format!("{:?}", s.step).to_uppercase(),
                            s.detail,
                            s.millis
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            if let Some(error) = opened {
                return Err(Error::Smtp(error));
            }
        }
        AccountCommand::Delete { name } => {
            accounts::delete(db, &Keychain, &name)?;
            out.print(&json!({ "deleted": name }), || format!("Deleted {name}"));
        }
        AccountCommand::Presets => {
            let presets = limits::presets();
            out.print(&presets, || {
                presets
                    .iter()
                    .map(|p| format!("{:<18} {}: {}", p.key, p.name, limits_text(&p.limits)))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

/// The password from SHISA_SMTP_PASSWORD, else the first line of stdin.
fn password() -> Result<String> {
    if let Ok(password) = std::env::var("SHISA_SMTP_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_to_string(&mut line)
        .map_err(Error::io("stdin"))?;
    Ok(line.lines().next().unwrap_or("").to_string())
}

fn account_line(a: &Account) -> String {
    format!(
        "{}  {}:{} ({:?}){}  {}",
        a.name,
        a.host,
        a.port,
        a.security,
        a.user
            .as_deref()
            .map(|u| format!(" as {u}"))
            .unwrap_or_default(),
        limits_text(&a.limits)
    )
}

fn limits_text(limits: &Limits) -> String {
    let mut parts: Vec<String> = limits
        .windows
        .iter()
        .map(|w| match w.seconds {
            DAY => format!("{}/day", w.max),
            HOUR => format!("{}/hour", w.max),
            MINUTE => format!("{}/min", w.max),
            s => format!("{} per {s} s", w.max),
        })
        .collect();
    parts.push(format!("{} connections", limits.connections));
    parts.join(", ")
}

/// The outbox and the run options `via` names, or those the campaign's run recorded.
fn route(
    db: &Db,
    db_path: &Path,
    via: &Via,
    recorded: Option<&str>,
) -> Result<(Outbox, RunOptions)> {
    let account = via
        .account
        .as_deref()
        .or(if via.smtp.is_none() { recorded } else { None });
    if let Some(name) = account.filter(|n| !n.contains("://")) {
        let (account, smtp) = accounts::open(db, &Keychain, name)?;
        return Ok((Outbox::smtp(&with_ca(smtp, via)?)?, account.run_options()));
    }
    match via.smtp.as_deref().or(account) {
        Some(url) => {
            let smtp = SmtpAccount::from_url(url, std::env::var("SHISA_SMTP_PASSWORD").ok())?;
            let options = RunOptions {
                // A server without an account still counts its own submissions.
                account: Some(format!(
                    "{}://{}:{}",
                    smtp.security.scheme(),
                    smtp.host,
                    smtp.port
                )),
                ..RunOptions::default()
            };
            Ok((Outbox::smtp(&with_ca(smtp, via)?)?, options))
        }
        None => Ok((
            Outbox::practice(&crate::practice_dir(db_path))?,
            RunOptions::default(),
        )),
    }
}

fn with_ca(mut smtp: SmtpAccount, via: &Via) -> Result<SmtpAccount> {
    if let Some(ca) = &via.tls_ca {
        smtp.extra_roots
            .push(std::fs::read(ca).map_err(Error::io(ca))?);
    }
    Ok(smtp)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::io("the async runtime"))
}

/// `shisa review`: the plan to go out through `via` at `at` (none: now), what is unusual about
/// it, and the digest that confirms it.
pub fn review(
    db: &Db,
    db_path: &Path,
    out: &Output,
    campaign: i64,
    via: &Via,
    at: Option<&str>,
) -> Result<()> {
    let (outbox, options) = route(db, db_path, via, None)?;
    let at = at.map(shisa::clock::parse_time).transpose()?;
    let plan = runner::freeze(db, campaign, &outbox, &options, at)?;
    let preflight = preflight::preflight(db, &plan, &options, at.unwrap_or(db.clock().now()))?;
    let snapshot = &plan.snapshot;
    let mut value = json!({
        "id": snapshot.campaign_id,
        "plan": plan.id,
        "digest": plan.digest,
        "list": snapshot.list,
        "subject": snapshot.subject,
        "from": snapshot.from,
        "route": snapshot.route,
        "count": snapshot.recipients.len(),
        "excluded": snapshot.excluded,
        "recipients": snapshot.recipients,
    });
    if let (Some(value), serde_json::Value::Object(checks)) = (
        value.as_object_mut(),
        serde_json::to_value(&preflight).expect("checks serialise"),
    ) {
        value.extend(checks);
    }
    out.print(&value, || review_text(&plan, &preflight));
    Ok(())
}

fn review_text(plan: &shisa::review::Plan, preflight: &preflight::Preflight) -> String {
    let snapshot = &plan.snapshot;
    let route = &snapshot.route;
    let mut text = format!(
        "Campaign {}: {}\nFrom: {}\nThrough: {}\nStarts: {}\nList: {}\nRecipients: {} ({} excluded: suppressed), about {} to send",
        snapshot.campaign_id,
        snapshot.subject,
        snapshot
            .from
            .as_deref()
            .or(route.sender.as_deref())
            .unwrap_or("(none)"),
        match (&route.account, &route.server) {
            (_, None) => "the practice mailbox".to_string(),
            (Some(name), Some(server)) => format!("{name} ({server})"),
            (None, Some(server)) => server.clone(),
        },
        route.at.as_deref().unwrap_or("now"),
        snapshot.list,
        snapshot.recipients.len(),
        snapshot.excluded,
        duration_text(preflight.eta_seconds),
    );
    text += "\nBy domain:";
    for g in &preflight.checks.groups {
        let marks: Vec<&str> = [
            (g.flagged, "CHECK"),
            (g.new, "new"),
            (g.external, "external"),
            (g.kind == DomainKind::FreeMail, "free mail"),
            (g.kind == DomainKind::Mobile, "mobile"),
        ]
        .into_iter()
        .filter_map(|(on, mark)| on.then_some(mark))
        .collect();
        text += &format!("\n  {:>6}  {}  {}", g.count, g.domain, marks.join(", "));
    }
    for a in &preflight.checks.attachments {
        text += &format!(
            "\nFile: {} ({} bytes, sha256 {}) to {} recipient(s)",
            a.name, a.size, a.sha256, a.recipients
        );
    }
    for (label, findings) in [
        ("Warning", &preflight.checks.warnings),
        ("BLOCKER", &preflight.checks.blockers),
    ] {
        for f in findings {
            text += &format!(
                "\n{label}: {:?} {} — {} recipient(s): {}",
                f.kind,
                f.detail,
                f.count,
                f.recipients
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    text += &format!(
        "\nDigest: {}\nTo send it, give `shisa send {}` the same account or server and time, with --confirm {}",
        plan.digest, snapshot.campaign_id, plan.digest
    );
    text
}

pub struct SendArgs {
    pub campaign: i64,
    pub confirm: String,
    pub via: Via,
    pub at: Option<String>,
    pub hold: Option<u64>,
}

/// `shisa send`: starts the reviewed plan (now, at a time, or after a hold) and sends it.
pub fn send(db: &Db, db_path: &Path, out: &Output, args: SendArgs) -> Result<()> {
    let plan_id = plan::latest(&*db.conn()?, args.campaign)?.ok_or(Error::NotConfirmed)?;
    let (outbox, options) = route(db, db_path, &args.via, None)?;
    let at = args
        .at
        .as_deref()
        .map(shisa::clock::parse_time)
        .transpose()?;
    let hold = std::time::Duration::from_secs(args.hold.unwrap_or(0));
    // The CLI showed the plan whole (`shisa review`): its digest acknowledges every domain and
    // file of it, and its count — as long as it is this plan's digest.
    let plan = plan::load(&*db.conn()?, plan_id)?;
    let confirmation = Confirmation {
        digest: args.confirm,
        ..Confirmation::of_all(&plan)
    };
    runner::start(db, &plan, &confirmation, &outbox, &options, at, hold)?;
    if let Some(at) = runs::of_campaign(db, args.campaign)?.and_then(|r| r.scheduled_at) {
        eprintln!(
            "Sending starts at {at}. To stop it: shisa cancel {}",
            args.campaign
        );
    }
    let count = runner::status(db, args.campaign)?.counts.total;
    let from = at.unwrap_or_else(|| db.clock().now());
    let (seconds, end) = runner::estimate(&options.limits, count, from);
    eprintln!(
        "{count} recipients: about {} within the account's limits, ending around {end}",
        duration_text(seconds)
    );
    foreground(db, out, args.campaign, plan_id, &outbox, &options)
}

/// `shisa resume`: continues a paused, interrupted or scheduled campaign.
pub fn resume(db: &Db, db_path: &Path, out: &Output, campaign: i64, via: &Via) -> Result<()> {
    let run = runs::of_campaign(db, campaign)?.ok_or(Error::NotSent(campaign))?;
    if run.state.is_over() {
        return Err(Error::RunOver(campaign));
    }
    let (outbox, options) = route(db, db_path, via, run.account.as_deref())?;
    foreground(db, out, campaign, run.plan_id, &outbox, &options)
}

/// `shisa retry`: failed and deferred recipients (and unknown ones with --unknown) again.
pub fn retry(
    db: &Db,
    db_path: &Path,
    out: &Output,
    campaign: i64,
    unknown: bool,
    via: &Via,
) -> Result<()> {
    let queued = runner::retry(db, campaign, unknown)?;
    eprintln!("{queued} recipients queued again");
    resume(db, db_path, out, campaign, via)
}

pub fn request(db: &Db, out: &Output, campaign: i64, request: Request) -> Result<()> {
    let run = runs::request(db, campaign, request)?;
    out.print(&run, || {
        let what = match request {
            Request::Pause => "pause",
            Request::Cancel => "cancel",
        };
        if run.state == RunState::Sending {
            format!("Campaign {campaign}: asked to {what}; it stops within a moment")
        } else {
            format!("Campaign {campaign}: {}", run.state.as_str())
        }
    });
    Ok(())
}

/// Waits for a scheduled start, then sends until the run ends or pauses, showing progress on
/// stderr; prints the summary.
fn foreground(
    db: &Db,
    out: &Output,
    campaign: i64,
    plan_id: i64,
    outbox: &Outbox,
    options: &RunOptions,
) -> Result<()> {
    let runtime = runtime()?;
    let summary = runtime.block_on(async {
        if !runner::wait_for_start(db, plan_id).await? {
            return runner::summary(db, campaign);
        }
        let show = !out.json;
        runner::run(db, plan_id, outbox, options, move |p| {
            if show {
                eprint!("\r{}", progress_line(p));
            }
        })
        .await
    })?;
    if !out.json {
        eprintln!();
    }
    // Each recipient's state is `shisa history CAMPAIGN`'s to show: a summary stays small
    // however many recipients the campaign has.
    out.print(&summary, || summary_line(&summary));
    Ok(())
}

fn progress_line(p: &SendProgress) -> String {
    let eta = p
        .eta_seconds
        .map(|s| format!(", about {} left", duration_text(s)))
        .unwrap_or_default();
    let waiting = p
        .waiting_until
        .as_deref()
        .map(|w| format!(", waiting for the account's limit until {w}"))
        .unwrap_or_default();
    format!(
        "sent {} of {} ({} failed, {} deferred, {} unknown), {:.0}/min{eta}{waiting}   ",
        p.counts.sent,
        p.counts.total,
        p.counts.failed,
        p.counts.deferred,
        p.counts.unknown,
        p.per_minute
    )
}

pub fn duration_text(seconds: u64) -> String {
    match seconds {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s if s < 2 * 86_400 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

fn summary_line(s: &SendSummary) -> String {
    let state = match s.state {
        RunState::Finished => "finished".to_string(),
        RunState::Paused => format!(
            "paused{}; continue with: shisa resume {}",
            s.reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default(),
            s.campaign_id
        ),
        other => other.as_str().to_string(),
    };
    format!(
        "Campaign {}: {} of {} sent{} ({} failed, {} deferred, {} unknown) — {state}",
        s.campaign_id,
        s.counts.sent,
        s.counts.total,
        if s.practice {
            " to the practice mailbox"
        } else {
            ""
        },
        s.counts.failed,
        s.counts.deferred,
        s.counts.unknown,
    )
}
