//! Email addresses as people type them: what someone wrote in a spreadsheet or a form becomes
//! the address we store, or a reason why it cannot be one.

use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

/// Normalises one address cell: trims every kind of white space (U+3000 included), folds
/// full-width forms with NFKC (＠ → @, Ａ → A) and lowercases the domain only, because the local
/// part may be case-sensitive. Returns the reason when the result is not a valid address.
pub fn normalize(raw: &str) -> Result<String, &'static str> {
    let folded: String = raw.trim().nfkc().collect();
    let folded = folded.trim();
    if folded.is_empty() {
        return Err("empty address");
    }
    let Some((local, domain)) = folded.rsplit_once('@') else {
        return Err("no @ in the address");
    };
    if local.is_empty() {
        return Err("nothing before the @");
    }
    if domain.is_empty() {
        return Err("nothing after the @");
    }
    if folded.chars().any(char::is_whitespace) {
        return Err("the address contains a space");
    }
    if !domain.contains('.') {
        return Err("the domain has no dot");
    }
    let normalised = format!("{local}@{}", domain.to_lowercase());
    lettre::Address::from_str(&normalised).map_err(|_| "not a valid email address")?;
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(normalize(""), Err("empty address"));
        assert_eq!(normalize("yamada.example.jp"), Err("no @ in the address"));
        assert_eq!(normalize("@example.jp"), Err("nothing before the @"));
        assert_eq!(normalize("yamada@"), Err("nothing after the @"));
        assert_eq!(
            normalize("yama da@example.jp"),
            Err("the address contains a space")
        );
        assert_eq!(normalize("yamada@localhost"), Err("the domain has no dot"));
        assert_eq!(
            normalize("yam<ada@example.jp"),
            Err("not a valid email address")
        );
    }
}
