//! Email addresses as people type them: what someone wrote in a spreadsheet or a form becomes
//! the address we store — with warnings about likely mistakes — or a reason why it cannot be
//! one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

/// Something about an address worth a second look, though it can be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "AddressWarningKind")]
pub enum Warning {
    /// The domain is one letter or two away from a common mail domain.
    TypoDomain,
    /// An old Japanese mobile address with a dot before the @ or two dots in a row: it breaks
    /// the mail standard, but the carrier delivers it.
    LegacyCarrier,
    /// A shared mailbox (info@, sales@ …) rather than a person.
    Role,
}

/// Why a value cannot be stored as an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "InvalidAddress")]
pub enum Invalid {
    #[error("empty address")]
    Empty,
    #[error("no @ in the address")]
    NoAt,
    #[error("nothing before the @")]
    NoLocal,
    #[error("nothing after the @")]
    NoDomain,
    #[error("the address contains a space")]
    Space,
    #[error("the domain has no dot")]
    NoDot,
    #[error("not a valid email address")]
    Malformed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub address: String,
    pub warnings: Vec<(Warning, Option<String>)>,
}

/// Domains that are often mistyped, with their usual misspellings found by edit distance.
const COMMON_DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.co.jp",
    "yahoo.com",
    "ymail.ne.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "outlook.com",
    "outlook.jp",
    "live.jp",
    "icloud.com",
    "me.com",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "nifty.com",
    "biglobe.ne.jp",
    "ocn.ne.jp",
    "so-net.ne.jp",
];

const ROLE_NAMES: &[&str] = &[
    "info",
    "sales",
    "support",
    "admin",
    "contact",
    "office",
    "webmaster",
    "postmaster",
    "noreply",
    "no-reply",
    "inquiry",
    "toiawase",
    "soumu",
    "eigyo",
    "jimu",
    "hr",
    "recruit",
    "press",
    "pr",
    "billing",
    "help",
    "mail",
    "service",
];

/// Checks many addresses, remembering what it found out about each domain: a file of a
/// million rows has only a handful of distinct domains.
#[derive(Default)]
pub struct Checker {
    typos: HashMap<String, Option<&'static str>, foldhash::fast::RandomState>,
}

impl Checker {
    /// Normalises and checks one address cell: trims every kind of white space (U+3000 too),
    /// folds full-width forms with NFKC (＠ → @, Ａ → A) and lowercases the domain only,
    /// because the local part may be case-sensitive.
    pub fn check(&mut self, raw: &str) -> Result<Checked, Invalid> {
        let raw = raw.trim();
        // NFKC leaves ASCII unchanged; most addresses are ASCII.
        let folded: Cow<str> = if raw.is_ascii() {
            Cow::Borrowed(raw)
        } else {
            Cow::Owned(raw.nfkc().collect())
        };
        let mut checked = parse(folded.trim())?;
        let domain = checked.address.rsplit_once('@').map_or("", |(_, d)| d);
        let typo = match self.typos.get(domain) {
            Some(typo) => *typo,
            None => *self
                .typos
                .entry(domain.to_string())
                .or_insert(typo_of(domain)),
        };
        if let Some(suggestion) = typo {
            let local = checked.address.rsplit_once('@').map_or("", |(l, _)| l);
            checked
                .warnings
                .push((Warning::TypoDomain, Some(format!("{local}@{suggestion}"))));
        }
        Ok(checked)
    }
}

/// Checks one address; see [`Checker::check`].
pub fn check(raw: &str) -> Result<Checked, Invalid> {
    Checker::default().check(raw)
}

/// Validates a folded address and notes what does not depend on its domain being common.
fn parse(folded: &str) -> Result<Checked, Invalid> {
    if folded.is_empty() {
        return Err(Invalid::Empty);
    }
    let Some((local, domain)) = folded.rsplit_once('@') else {
        return Err(Invalid::NoAt);
    };
    if local.is_empty() {
        return Err(Invalid::NoLocal);
    }
    if domain.is_empty() {
        return Err(Invalid::NoDomain);
    }
    if folded.chars().any(char::is_whitespace) {
        return Err(Invalid::Space);
    }
    if !domain.contains('.') {
        return Err(Invalid::NoDot);
    }
    let domain = domain.to_lowercase();
    let address = format!("{local}@{domain}");
    let mut warnings = Vec::new();
    if lettre::Address::from_str(&address).is_err() {
        // Dots the standard forbids, in a local part that is otherwise valid.
        let repaired: String = local
            .split('.')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(".");
        if repaired == local || lettre::Address::from_str(&format!("{repaired}@{domain}")).is_err()
        {
            return Err(Invalid::Malformed);
        }
        warnings.push((Warning::LegacyCarrier, None));
    }
    if ROLE_NAMES.iter().any(|r| r.eq_ignore_ascii_case(local)) {
        warnings.push((Warning::Role, None));
    }
    Ok(Checked { address, warnings })
}

/// Normalises an address, or says why it is not one.
pub fn normalize(raw: &str) -> Result<String, Invalid> {
    check(raw).map(|c| c.address)
}

/// The common domain this one is probably a typo of: within one edit (two for long names),
/// and not itself a common domain.
pub fn typo_of(domain: &str) -> Option<&'static str> {
    if COMMON_DOMAINS.contains(&domain) {
        return None;
    }
    COMMON_DOMAINS
        .iter()
        .map(|&d| (d, strsim::damerau_levenshtein(domain, d)))
        .filter(|&(d, distance)| distance == 1 || (distance == 2 && d.len() >= 9))
        .min_by_key(|&(_, distance)| distance)
        .map(|(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warned(raw: &str) -> Vec<(Warning, Option<String>)> {
        check(raw).unwrap().warnings
    }

    #[test]
    fn folds_full_width_and_trims_ideographic_space() {
        assert_eq!(
            normalize("\u{3000}ｙａｍａｄａ＠Ｅｘａｍｐｌｅ．ＪＰ "),
            Ok("yamada@example.jp".into())
        );
    }

    #[test]
    fn lowercases_the_domain_only() {
        assert_eq!(
            normalize("Taro.Y@Example.CO.JP"),
            Ok("Taro.Y@example.co.jp".into())
        );
    }

    #[test]
    fn gives_a_reason_for_each_bad_value() {
        assert_eq!(normalize(""), Err(Invalid::Empty));
        assert_eq!(normalize("yamada.example.jp"), Err(Invalid::NoAt));
        assert_eq!(normalize("@example.jp"), Err(Invalid::NoLocal));
        assert_eq!(normalize("yamada@"), Err(Invalid::NoDomain));
        assert_eq!(normalize("yama da@example.jp"), Err(Invalid::Space));
        assert_eq!(normalize("yamada@localhost"), Err(Invalid::NoDot));
        assert_eq!(normalize("yam<ada@example.jp"), Err(Invalid::Malformed));
    }

    #[test]
    fn suggests_the_common_domain_for_a_typo() {
        let typo = |raw: &str| {
            warned(raw)
                .into_iter()
                .find(|(w, _)| *w == Warning::TypoDomain)
        };
        assert_eq!(
            typo("a@gmial.com").unwrap().1.as_deref(),
            Some("a@gmail.com")
        );
        assert_eq!(
            typo("a@yahoo.co.jo").unwrap().1.as_deref(),
            Some("a@yahoo.co.jp")
        );
        assert_eq!(
            typo("a@docomo.ne.jo").unwrap().1.as_deref(),
            Some("a@docomo.ne.jp")
        );
        assert_eq!(typo("a@gmail.com"), None);
        assert_eq!(typo("a@example.co.jp"), None);
    }

    #[test]
    fn legacy_carrier_addresses_are_kept_with_a_warning() {
        assert_eq!(
            warned("taro.@docomo.ne.jp"),
            [(Warning::LegacyCarrier, None)]
        );
        assert_eq!(
            warned("ta..ro@ezweb.ne.jp"),
            [(Warning::LegacyCarrier, None)]
        );
        assert_eq!(
            normalize("ta..ro@ezweb.ne.jp"),
            Ok("ta..ro@ezweb.ne.jp".into())
        );
    }

    #[test]
    fn role_addresses_are_flagged() {
        assert_eq!(warned("Info@example.jp"), [(Warning::Role, None)]);
        assert!(warned("yamada@example.jp").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn normalising_is_idempotent(raw in "\\PC{0,40}") {
            if let Ok(once) = normalize(&raw) {
                proptest::prop_assert_eq!(normalize(&once), Ok(once.clone()));
            }
        }

        #[test]
        fn a_normalised_address_has_one_at_and_a_lowercase_domain(
            local in "[A-Za-z0-9._%+-]{1,20}", domain in "[A-Za-z0-9-]{1,12}\\.[A-Za-z]{2,6}"
        ) {
            let address = format!("{local}@{domain}");
            if let Ok(normal) = normalize(&address) {
                let (l, d) = normal.rsplit_once('@').unwrap();
                proptest::prop_assert_eq!(l, local.as_str());
                proptest::prop_assert_eq!(d, domain.to_lowercase());
            }
        }

        #[test]
        fn full_width_input_normalises_like_ascii(local in "[a-z0-9]{1,12}", domain in "[a-z]{1,10}\\.jp") {
            let wide: String = format!("{local}@{domain}")
                .chars()
                .map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap())
                .collect();
            proptest::prop_assert_eq!(normalize(&wide), normalize(&format!("{local}@{domain}")));
        }
    }
}
