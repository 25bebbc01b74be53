//! The checks of a plan: what is unusual about it, each finding naming the recipients it
//! concerns. Warnings ask for a look; blockers make sending impossible. Pure functions over the
//! plan's snapshot and what the caller knows (the user's own and blocked domains, the domains
//! the account has mailed before); nothing here reads the database.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use ts_rs::TS;

use super::plan::{PlanRecipient, Snapshot};
use crate::compose::merge::{self, Known};

/// What the checks go by besides the plan.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The office's own domains: everything else is external.
    pub own_domains: Vec<String>,
    /// Domains and addresses never to be mailed.
    pub blocked: Vec<String>,
    /// Domains the account has sent to before; `None` when it never sent anything (then no
    /// domain is marked new: everything would be).
    pub known_domains: Option<HashSet<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DomainKind {
    Business,
    /// A free mail service: often a private address.
    FreeMail,
    /// A mobile carrier's address: a phone, often strict about what it accepts.
    Mobile,
}

/// The recipients at one domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DomainGroup {
    pub domain: String,
    pub count: u32,
    /// Not one of the office's own domains.
    pub external: bool,
    /// The account never sent to this domain before.
    pub new: bool,
    pub kind: DomainKind,
    /// A finding concerns recipients here: shown first.
    pub flagged: bool,
}

/// A file of the plan and who gets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AttachmentSummary {
    pub name: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
    /// How many recipients get it: everyone for a shared file, one for an own file.
    pub recipients: u32,
    /// Each recipient gets their own file (one entry per distinct file).
    pub own: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FindingKind {
    /// A domain one letter off a common one (gmial.com).
    TypoDomain,
    /// A domain one letter off, or looking like, another domain of the plan (examp1e.co.jp).
    LookalikeDomain,
    /// A merge field the mail uses is empty for the recipient (and has no fallback).
    EmptyField,
    /// An own file whose name holds none of the recipient's values.
    FileNameMismatch,
    /// The same own file goes to several recipients.
    SharedOwnFile,
    /// The campaign has own files, but not for this recipient.
    NoFile,
    /// The text speaks of an attachment, and nothing is attached.
    AttachmentMentioned,
    /// A file whose name or kind calls for care (社外秘, .exe …).
    RiskyAttachment,
    /// Over 5,000 mails a day to Gmail or Outlook.com without one-click unsubscribe.
    BulkSenderRules,
    /// A blocked domain or address: a blocker.
    Blocked,
}

/// One thing worth a look, and whom it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Finding {
    pub kind: FindingKind,
    /// What exactly: the domain and its likely intended one, the field, the file …
    pub detail: String,
    /// The recipients concerned (the first `LISTED`), and how many there are.
    pub recipients: Vec<String>,
    pub count: u32,
}

/// How many recipients a finding lists by address; the count says the rest.
const LISTED: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Checks {
    /// Unusual groups first.
    pub groups: Vec<DomainGroup>,
    pub attachments: Vec<AttachmentSummary>,
    pub warnings: Vec<Finding>,
    pub blockers: Vec<Finding>,
}

const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.co.jp",
    "ymail.ne.jp",
    "yahoo.com",
    "outlook.com",
    "outlook.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "live.jp",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "excite.co.jp",
    "mail.goo.ne.jp",
    "proton.me",
    "protonmail.com",
];

const MOBILE: &[&str] = &[
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "ymobile.ne.jp",
    "y-mobile.ne.jp",
    "emnet.ne.jp",
    "disney.ne.jp",
    "uqmobile.jp",
    "rakumail.jp",
    "willcom.com",
    "pdx.ne.jp",
];

/// Gmail's and Outlook.com's bulk-sender rules count mail to their own domains.
const BULK_RULED: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "outlook.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "live.com",
    "live.jp",
    "msn.com",
];

/// More than this many a day to those domains needs one-click unsubscribe.
const BULK_DAILY: u32 = 5_000;

const RISKY_WORDS: &[&str] = &[
    "社外秘",
    "機密",
    "極秘",
    "秘密",
    "部外秘",
    "取扱注意",
    "confidential",
    "secret",
    "internal",
];

const RISKY_EXTENSIONS: &[&str] = &[
    "exe", "bat", "cmd", "com", "scr", "pif", "js", "jse", "vbs", "vbe", "wsf", "ps1", "msi",
    "jar", "lnk", "hta", "cpl", "reg",
];

const ATTACHMENT_WORDS: &[&str] = &["添付", "同封", "別添", "attached", "attachment"];

pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, d)| d)
}

/// Checks a plan; `per_day`: how many mails a day the account sends at most (its tightest
/// daily figure), for the bulk-sender rule.
pub fn check(snapshot: &Snapshot, context: &Context, per_day: Option<u32>) -> Checks {
    let recipients = &snapshot.recipients;
    let mut by_domain: BTreeMap<&str, Vec<&PlanRecipient>> = BTreeMap::new();
    for r in recipients {
        by_domain.entry(domain_of(&r.address)).or_default().push(r);
    }
    let mut warnings = Vec::new();
    warnings.extend(typo_domains(&by_domain));
    warnings.extend(lookalike_domains(&by_domain));
    warnings.extend(empty_fields(snapshot));
    warnings.extend(own_files(snapshot));
    warnings.extend(attachment_mentioned(snapshot));
    warnings.extend(risky_attachments(snapshot));
    warnings.extend(bulk_sender_rules(snapshot, &by_domain, per_day));
    let blockers: Vec<Finding> = blocked(&by_domain, &context.blocked).into_iter().collect();

    let flagged: HashSet<&str> = warnings
        .iter()
        .chain(&blockers)
        .filter(|f| {
            matches!(
                f.kind,
                FindingKind::TypoDomain | FindingKind::LookalikeDomain | FindingKind::Blocked
            )
        })
        .flat_map(|f| f.recipients.iter().map(|a| domain_of(a)))
        .collect();
    let mut groups: Vec<DomainGroup> = by_domain
        .iter()
        .map(|(domain, members)| DomainGroup {
            domain: domain.to_string(),
            count: members.len() as u32,
            external: !context
                .own_domains
                .iter()
                .any(|own| own.eq_ignore_ascii_case(domain)),
            new: context
                .known_domains
                .as_ref()
                .is_some_and(|known| !known.contains(*domain)),
            kind: kind_of(domain),
            flagged: flagged.contains(domain),
        })
        .collect();
    // The unusual first: flagged, then new, external, private (free or mobile); the largest
    // first within each.
    groups.sort_by_key(|g| {
        (
            !g.flagged,
            !g.new,
            !g.external,
            g.kind == DomainKind::Business,
            std::cmp::Reverse(g.count),
        )
    });
    Checks {
        groups,
        attachments: attachments(snapshot),
        warnings,
        blockers,
    }
}

fn kind_of(domain: &str) -> DomainKind {
    if FREE_MAIL.contains(&domain) {
        DomainKind::FreeMail
    } else if MOBILE.contains(&domain) {
        DomainKind::Mobile
    } else {
        DomainKind::Business
    }
}

fn finding<'a>(
    kind: FindingKind,
    detail: String,
    recipients: impl IntoIterator<Item = &'a str>,
) -> Finding {
    let mut listed = Vec::new();
    let mut count = 0;
    for address in recipients {
        if listed.len() < LISTED {
            listed.push(address.to_string());
        }
        count += 1;
    }
    Finding {
        kind,
        detail,
        recipients: listed,
        count,
    }
}

fn addresses<'a>(members: &'a [&'a PlanRecipient]) -> impl Iterator<Item = &'a str> {
    members.iter().map(|r| r.address.as_str())
}

fn typo_domains(by_domain: &BTreeMap<&str, Vec<&PlanRecipient>>) -> Vec<Finding> {
    by_domain
        .iter()
        .filter_map(|(domain, members)| {
            let intended = crate::contacts::address::typo_of(domain)?;
            Some(finding(
                FindingKind::TypoDomain,
                format!("{domain} → {intended}"),
                addresses(members),
            ))
        })
        .collect()
}

/// Domains of the plan that look like another one of it: equal once look-alike characters are
/// folded (1/l, 0/o, rn/m: examp1e.co.jp), or one letter apart (exmaple.co.jp) when the odd one
/// has few recipients and the other many — two well-used domains a letter apart are two real
/// companies, and so are numbered ones (branch1, branch2). Found through each domain's
/// one-letter deletions, so ten thousand domains take no pairwise comparison.
fn lookalike_domains(by_domain: &BTreeMap<&str, Vec<&PlanRecipient>>) -> Vec<Finding> {
    let mut variants: HashMap<String, Vec<&str>> = HashMap::new();
    for domain in by_domain.keys() {
        let folded = fold_lookalikes(domain);
        let mut own: HashSet<String> = HashSet::new();
        own.insert(folded.clone());
        for (i, _) in folded.char_indices() {
            let mut deleted = folded.clone();
            deleted.remove(i);
            own.insert(deleted);
        }
        for variant in own {
            variants.entry(variant).or_default().push(domain);
        }
    }
    let count = |d: &str| by_domain[d].len();
    let mut pairs: HashSet<(&str, &str)> = HashSet::new();
    for domains in variants.values().filter(|d| d.len() > 1) {
        for (i, a) in domains.iter().enumerate() {
            for b in &domains[i + 1..] {
                let (odd, usual) = if count(a) <= count(b) { (a, b) } else { (b, a) };
                if odd != usual && looks_like(odd, usual, count(odd), count(usual)) {
                    pairs.insert((odd, usual));
                }
            }
        }
    }
    let mut pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    pairs.sort();
    pairs
        .into_iter()
        .map(|(odd, usual)| {
            finding(
                FindingKind::LookalikeDomain,
                format!("{odd} ~ {usual}"),
                addresses(&by_domain[odd]),
            )
        })
        .collect()
}

/// A rare domain that is probably a mistake for a common one.
fn looks_like(odd: &str, usual: &str, odd_count: usize, usual_count: usize) -> bool {
    if fold_lookalikes(odd) == fold_lookalikes(usual) {
        return odd_count < usual_count || odd.chars().any(|c| c.is_ascii_digit());
    }
    let rare = odd_count <= 3 && usual_count >= 3 * odd_count;
    rare && strsim::damerau_levenshtein(odd, usual) == 1 && !digits_apart(odd, usual)
}

/// Two names that differ only in their digits (branch1, branch2).
fn digits_apart(a: &str, b: &str) -> bool {
    let letters = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    letters(a) == letters(b)
}

fn fold_lookalikes(domain: &str) -> String {
    domain
        .replace("rn", "m")
        .chars()
        .map(|c| match c {
            '1' | 'i' => 'l',
            '0' => 'o',
            '5' => 's',
            c => c,
        })
        .collect()
}

fn empty_fields(snapshot: &Snapshot) -> Vec<Finding> {
    let known = Known::new(snapshot.custom_fields.clone());
    let templates = merge::templates(&snapshot.subject, &snapshot.html, snapshot.text.as_deref());
    let mut by_field: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for r in &snapshot.recipients {
        let mut empty: Vec<&str> = templates
            .iter()
            .flat_map(|t| t.empty_fields(&known, &r.values))
            .collect();
        empty.dedup();
        for field in empty {
            let list = by_field.entry(field.to_string()).or_default();
            if list.last() != Some(&r.address.as_str()) {
                list.push(&r.address);
            }
        }
    }
    by_field
        .into_iter()
        .map(|(field, who)| finding(FindingKind::EmptyField, field, who))
        .collect()
}

/// Own files: one that holds none of its recipient's values in its name, one that goes to
/// several recipients, and the recipients without one.
fn own_files(snapshot: &Snapshot) -> Vec<Finding> {
    let with_file: Vec<&PlanRecipient> = snapshot
        .recipients
        .iter()
        .filter(|r| r.file.is_some())
        .collect();
    if with_file.is_empty() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    let mismatched = with_file.iter().filter(|r| {
        let name = r
            .file
            .as_ref()
            .map_or("", |f| f.name.as_str())
            .to_lowercase();
        let local = r.address.split('@').next().unwrap_or("").to_lowercase();
        !std::iter::once(local.as_str())
            .chain(r.values.iter().map(|(_, v)| v))
            .filter(|v| v.chars().count() >= 2)
            .any(|v| name.contains(&v.to_lowercase()))
    });
    let mismatched: Vec<&str> = mismatched.map(|r| r.address.as_str()).collect();
    if !mismatched.is_empty() {
        findings.push(finding(
            FindingKind::FileNameMismatch,
            String::new(),
            mismatched,
        ));
    }
    let mut by_file: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for r in &with_file {
        if let Some(file) = &r.file {
            by_file
                .entry((file.sha256.as_str(), file.name.as_str()))
                .or_default()
                .push(&r.address);
        }
    }
    for ((_, name), who) in by_file.into_iter().filter(|(_, who)| who.len() > 1) {
        findings.push(finding(FindingKind::SharedOwnFile, name.to_string(), who));
    }
    let without = snapshot.recipients.iter().filter(|r| r.file.is_none());
    let without: Vec<&str> = without.map(|r| r.address.as_str()).collect();
    if !without.is_empty() {
        findings.push(finding(FindingKind::NoFile, String::new(), without));
    }
    findings
}

fn attachment_mentioned(snapshot: &Snapshot) -> Option<Finding> {
    let attached = snapshot.files.iter().any(|f| f.content_id.is_none())
        || snapshot.recipients.iter().any(|r| r.file.is_some());
    if attached {
        return None;
    }
    let text = format!(
        "{} {} {}",
        snapshot.subject,
        snapshot.html,
        snapshot.text.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let word = ATTACHMENT_WORDS.iter().find(|w| text.contains(*w))?;
    Some(finding(
        FindingKind::AttachmentMentioned,
        word.to_string(),
        snapshot.recipients.iter().map(|r| r.address.as_str()),
    ))
}

fn risky_attachments(snapshot: &Snapshot) -> Vec<Finding> {
    let risky = |name: &str| {
        let lower = name.to_lowercase();
        let extension = lower.rsplit_once('.').map_or("", |(_, e)| e);
        RISKY_WORDS.iter().any(|w| lower.contains(w)) || RISKY_EXTENSIONS.contains(&extension)
    };
    let everyone = || snapshot.recipients.iter().map(|r| r.address.as_str());
    let mut findings: Vec<Finding> = snapshot
        .files
        .iter()
        .filter(|f| f.content_id.is_none() && risky(&f.file.name))
        .map(|f| {
            finding(
                FindingKind::RiskyAttachment,
                f.file.name.clone(),
                everyone(),
            )
        })
        .collect();
    let mut own: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &snapshot.recipients {
        if let Some(file) = r.file.as_ref().filter(|f| risky(&f.name)) {
            own.entry(&file.name).or_default().push(&r.address);
        }
    }
    findings.extend(
        own.into_iter()
            .map(|(name, who)| finding(FindingKind::RiskyAttachment, name.to_string(), who)),
    );
    findings
}

fn bulk_sender_rules(
    snapshot: &Snapshot,
    by_domain: &BTreeMap<&str, Vec<&PlanRecipient>>,
    per_day: Option<u32>,
) -> Option<Finding> {
    if snapshot.unsubscribe.is_some() {
        return None;
    }
    let ruled: Vec<&str> = BULK_RULED
        .iter()
        .filter_map(|d| by_domain.get(d))
        .flat_map(|members| addresses(members))
        .collect();
    // What reaches those domains in one day: all of them, unless the account's daily limit
    // spreads the campaign over several days.
    let share = ruled.len() as f64 / snapshot.recipients.len().max(1) as f64;
    let daily = per_day.map_or(ruled.len() as f64, |d| {
        (f64::from(d) * share).min(ruled.len() as f64)
    });
    (daily > f64::from(BULK_DAILY)).then(|| {
        finding(
            FindingKind::BulkSenderRules,
            format!("{}", ruled.len()),
            ruled,
        )
    })
}

fn blocked(by_domain: &BTreeMap<&str, Vec<&PlanRecipient>>, blocked: &[String]) -> Option<Finding> {
    if blocked.is_empty() {
        return None;
    }
    let is_blocked = |address: &str| {
        blocked.iter().any(|b| {
            let b = b.trim();
            if b.contains('@') {
                b.eq_ignore_ascii_case(address)
            } else {
                let domain = domain_of(address);
                let b = b.trim_start_matches('@');
                domain.eq_ignore_ascii_case(b)
                    || domain
                        .to_ascii_lowercase()
                        .ends_with(&format!(".{}", b.to_ascii_lowercase()))
            }
        })
    };
    let who: Vec<&str> = by_domain
        .values()
        .flat_map(|members| addresses(members))
        .filter(|a| is_blocked(a))
        .collect();
    (!who.is_empty()).then(|| finding(FindingKind::Blocked, String::new(), who))
}

/// The plan's files: the shared ones (not inline images) for everyone, each distinct own file
/// for its recipient.
fn attachments(snapshot: &Snapshot) -> Vec<AttachmentSummary> {
    let everyone = snapshot.recipients.len() as u32;
    let mut list: Vec<AttachmentSummary> = snapshot
        .files
        .iter()
        .filter(|f| f.content_id.is_none())
        .map(|f| AttachmentSummary {
            name: f.file.name.clone(),
            size: f.file.size,
            sha256: f.file.sha256.clone(),
            recipients: everyone,
            own: false,
        })
        .collect();
    let mut own: BTreeMap<(&str, &str), (u64, u32)> = BTreeMap::new();
    for file in snapshot.recipients.iter().filter_map(|r| r.file.as_ref()) {
        own.entry((file.name.as_str(), file.sha256.as_str()))
            .or_insert((file.size, 0))
            .1 += 1;
    }
    list.extend(
        own.into_iter()
            .map(|((name, sha256), (size, recipients))| AttachmentSummary {
                name: name.to_string(),
                size,
                sha256: sha256.to_string(),
                recipients,
                own: true,
            }),
    );
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Charset;
    use crate::compose::merge::MergeValues;
    use crate::store::campaigns::CampaignFile;
    use crate::store::files::StoredFile;

    fn recipient(address: &str, values: &[(&str, &str)], file: Option<&str>) -> PlanRecipient {
        PlanRecipient {
            address: address.into(),
            name: None,
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<MergeValues>(),
            file: file.map(|name| StoredFile {
                name: name.into(),
                size: 100,
                sha256: format!("sha-of-{name}"),
            }),
        }
    }

    fn snapshot(recipients: Vec<PlanRecipient>) -> Snapshot {
        Snapshot {
            campaign_id: 1,
            list: "顧客".into(),
            subject: "{{会社名}} {{氏名}}様".into(),
            html: "<p>{{氏名|ご担当者}}様</p>".into(),
            text: None,
            from: None,
            reply_to: None,
            unsubscribe: None,
            charset: Charset::Utf8,
            custom_fields: vec!["顧客ID".into()],
            files: Vec::new(),
            recipients,
            excluded: 0,
            route: Default::default(),
        }
    }

    fn kinds(checks: &Checks) -> Vec<(FindingKind, &str, &[String])> {
        checks
            .warnings
            .iter()
            .map(|f| (f.kind, f.detail.as_str(), f.recipients.as_slice()))
            .collect()
    }

    #[test]
    fn groups_by_domain_with_external_new_and_private_marks_unusual_first() {
        let plan = snapshot(vec![
            recipient("a@example.co.jp", &[("name", "A"), ("company", "X")], None),
            recipient("b@example.co.jp", &[("name", "B"), ("company", "X")], None),
            recipient("c@office.jp", &[("name", "C"), ("company", "Y")], None),
            recipient("d@gmail.com", &[("name", "D"), ("company", "Z")], None),
            recipient("e@docomo.ne.jp", &[("name", "E"), ("company", "Z")], None),
        ]);
        let context = Context {
            own_domains: vec!["office.jp".into()],
            known_domains: Some(["example.co.jp".to_string(), "office.jp".into()].into()),
            ..Context::default()
        };
        let checks = check(&plan, &context, None);
        let groups: Vec<(&str, u32, bool, bool, DomainKind)> = checks
            .groups
            .iter()
            .map(|g| (g.domain.as_str(), g.count, g.external, g.new, g.kind))
            .collect();
        assert_eq!(
            groups,
            [
                ("docomo.ne.jp", 1, true, true, DomainKind::Mobile),
                ("gmail.com", 1, true, true, DomainKind::FreeMail),
                ("example.co.jp", 2, true, false, DomainKind::Business),
                ("office.jp", 1, false, false, DomainKind::Business),
            ]
        );
        assert!(checks.warnings.is_empty() && checks.blockers.is_empty());
    }

    #[test]
    fn finds_typo_and_lookalike_domains_and_names_their_recipients() {
        let mut recipients: Vec<PlanRecipient> = (0..5)
            .map(|i| {
                recipient(
                    &format!("u{i}@example.co.jp"),
                    &[("name", "x"), ("company", "y")],
                    None,
                )
            })
            .collect();
        recipients.push(recipient(
            "odd@examp1e.co.jp",
            &[("name", "x"), ("company", "y")],
            None,
        ));
        recipients.push(recipient(
            "typo@gmial.com",
            &[("name", "x"), ("company", "y")],
            None,
        ));
        let checks = check(&snapshot(recipients), &Context::default(), None);
        let found = kinds(&checks);
        assert!(found.contains(&(
            FindingKind::TypoDomain,
            "gmial.com → gmail.com",
            &["typo@gmial.com".to_string()][..]
        )));
        assert!(found.contains(&(
            FindingKind::LookalikeDomain,
            "examp1e.co.jp ~ example.co.jp",
            &["odd@examp1e.co.jp".to_string()][..]
        )));
        assert_eq!(
            checks.groups[0].domain, "examp1e.co.jp",
            "flagged groups come first"
        );
        assert!(
            checks
                .groups
                .iter()
                .find(|g| g.domain == "gmial.com")
                .unwrap()
                .flagged
        );
    }

    #[test]
    fn well_used_domains_a_letter_apart_and_numbered_ones_are_not_look_alikes() {
        let mut recipients = Vec::new();
        for (domain, n) in [
            ("abc.co.jp", 5),
            ("abd.co.jp", 5),
            ("branch1.example.jp", 4),
            ("branch2.example.jp", 1),
            ("exmaple.co.jp", 1),
            ("example.co.jp", 6),
        ] {
            for i in 0..n {
                recipients.push(recipient(
                    &format!("u{i}@{domain}"),
                    &[("name", "x"), ("company", "y")],
                    None,
                ));
            }
        }
        let checks = check(&snapshot(recipients), &Context::default(), None);
        let lookalikes: Vec<&str> = checks
            .warnings
            .iter()
            .filter(|f| f.kind == FindingKind::LookalikeDomain)
            .map(|f| f.detail.as_str())
            .collect();
        assert_eq!(lookalikes, ["exmaple.co.jp ~ example.co.jp"]);
    }

    #[test]
    fn empty_fields_without_a_fallback_are_named_per_field() {
        let plan = snapshot(vec![
            recipient(
                "a@x.jp",
                &[("name", "山田"), ("company", "株式会社A")],
                None,
            ),
            // No name: the body has a fallback, the subject does not.
            recipient("b@x.jp", &[("company", "株式会社B")], None),
            recipient("c@x.jp", &[("name", "佐藤"), ("company", " ")], None),
        ]);
        let checks = check(&plan, &Context::default(), None);
        assert_eq!(
            kinds(&checks),
            [
                (
                    FindingKind::EmptyField,
                    "会社名",
                    &["c@x.jp".to_string()][..]
                ),
                (FindingKind::EmptyField, "氏名", &["b@x.jp".to_string()][..]),
            ]
        );
    }

    #[test]
    fn own_files_that_name_someone_else_go_to_several_or_are_missing_are_found() {
        let mut plan = snapshot(vec![
            recipient(
                "a@x.jp",
                &[("name", "A"), ("company", "y"), ("顧客ID", "C001")],
                Some("請求書_C001.pdf"),
            ),
            recipient(
                "b@x.jp",
                &[("name", "B"), ("company", "y"), ("顧客ID", "C002")],
                Some("請求書_C009.pdf"),
            ),
            recipient(
                "c@x.jp",
                &[("name", "C"), ("company", "y"), ("顧客ID", "C003")],
                Some("請求書_C001.pdf"),
            ),
            recipient(
                "d@x.jp",
                &[("name", "D"), ("company", "y"), ("顧客ID", "C004")],
                None,
            ),
        ]);
        plan.files.push(CampaignFile {
            file: StoredFile {
                name: "社外秘_価格表.xlsx".into(),
                size: 10,
                sha256: "s".into(),
            },
            content_id: None,
        });
        let checks = check(&plan, &Context::default(), None);
        let found = kinds(&checks);
        assert!(found.contains(&(
            FindingKind::FileNameMismatch,
            "",
            &["b@x.jp".to_string(), "c@x.jp".to_string()][..]
        )));
        assert!(found.contains(&(
            FindingKind::SharedOwnFile,
            "請求書_C001.pdf",
            &["a@x.jp".to_string(), "c@x.jp".to_string()][..]
        )));
        assert!(found.contains(&(FindingKind::NoFile, "", &["d@x.jp".to_string()][..])));
        assert!(
            found
                .iter()
                .any(|f| f.0 == FindingKind::RiskyAttachment && f.1 == "社外秘_価格表.xlsx")
        );
        let names: Vec<(&str, u32, bool)> = checks
            .attachments
            .iter()
            .map(|a| (a.name.as_str(), a.recipients, a.own))
            .collect();
        assert_eq!(
            names,
            [
                ("社外秘_価格表.xlsx", 4, false),
                ("請求書_C001.pdf", 2, true),
                ("請求書_C009.pdf", 1, true),
            ]
        );
    }

    #[test]
    fn a_mentioned_attachment_that_is_missing_and_risky_kinds_are_warned() {
        let mut plan = snapshot(vec![recipient(
            "a@x.jp",
            &[("name", "A"), ("company", "y")],
            None,
        )]);
        plan.html = "<p>資料を添付いたします。</p>".into();
        let checks = check(&plan, &Context::default(), None);
        assert_eq!(checks.warnings[0].kind, FindingKind::AttachmentMentioned);
        plan.files.push(CampaignFile {
            file: StoredFile {
                name: "setup.EXE".into(),
                size: 1,
                sha256: "e".into(),
            },
            content_id: None,
        });
        let checks = check(&plan, &Context::default(), None);
        assert_eq!(kinds(&checks)[0].0, FindingKind::RiskyAttachment);
    }

    #[test]
    fn blocked_domains_and_addresses_are_blockers() {
        let plan = snapshot(vec![
            recipient("a@rival.co.jp", &[("name", "A"), ("company", "y")], None),
            recipient(
                "b@mail.rival.co.jp",
                &[("name", "B"), ("company", "y")],
                None,
            ),
            recipient("ceo@partner.jp", &[("name", "C"), ("company", "y")], None),
            recipient("staff@partner.jp", &[("name", "D"), ("company", "y")], None),
        ]);
        let context = Context {
            blocked: vec!["rival.co.jp".into(), "CEO@partner.jp".into()],
            ..Context::default()
        };
        let checks = check(&plan, &context, None);
        assert_eq!(checks.blockers.len(), 1);
        let mut blocked = checks.blockers[0].recipients.clone();
        blocked.sort();
        assert_eq!(
            blocked,
            ["a@rival.co.jp", "b@mail.rival.co.jp", "ceo@partner.jp"]
        );
        assert_eq!(checks.blockers[0].count, 3);
    }

    #[test]
    fn over_five_thousand_a_day_to_gmail_without_unsubscribe_is_warned() {
        let recipients: Vec<PlanRecipient> = (0..5_001)
            .map(|i| {
                recipient(
                    &format!("u{i}@gmail.com"),
                    &[("name", "x"), ("company", "y")],
                    None,
                )
            })
            .collect();
        let mut plan = snapshot(recipients);
        let checks = check(&plan, &Context::default(), None);
        let bulk = checks
            .warnings
            .iter()
            .find(|f| f.kind == FindingKind::BulkSenderRules)
            .unwrap();
        assert_eq!((bulk.count, bulk.recipients.len()), (5_001, LISTED));
        // Spread over days by the account's limit, or with unsubscribe: no warning.
        assert!(
            check(&plan, &Context::default(), Some(2_000))
                .warnings
                .is_empty()
        );
        plan.unsubscribe = Some("unsubscribe@x.jp".into());
        assert!(check(&plan, &Context::default(), None).warnings.is_empty());
    }
}
