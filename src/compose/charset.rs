//! The character set a mail is sent in: UTF-8, or ISO-2022-JP for recipients whose old mail
//! systems read only that. ISO-2022-JP lacks many characters offices use (①, ㈱, 髙, emoji);
//! the characters it cannot carry are listed before anything is sent, never replaced.

use base64::Engine;
use encoding_rs::ISO_2022_JP;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Charset {
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "iso-2022-jp")]
    Iso2022Jp,
}

/// Characters per encoded word of a header: each word must stay under 75 bytes once encoded.
const HEADER_CHUNK: usize = 12;

impl Charset {
    pub fn label(self) -> &'static str {
        match self {
            Charset::Utf8 => "utf-8",
            Charset::Iso2022Jp => "ISO-2022-JP",
        }
    }

    pub fn parse(label: &str) -> Option<Charset> {
        match label.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Charset::Utf8),
            "iso-2022-jp" | "jis" => Some(Charset::Iso2022Jp),
            _ => None,
        }
    }

    /// Every character of `texts` this charset cannot carry, each once, in order of appearance.
    pub fn unencodable<'a>(self, texts: impl IntoIterator<Item = &'a str>) -> Vec<char> {
        if self == Charset::Utf8 {
            return Vec::new();
        }
        let mut missing = Vec::new();
        for text in texts {
            // Most text is ASCII or common kanji; only characters outside ASCII need a look.
            for c in text.chars().filter(|c| !c.is_ascii()) {
                if !missing.contains(&c) && !in_jis_x_0208(c) {
                    missing.push(c);
                }
            }
        }
        missing
    }

    /// The text in this charset; `Err` names the characters it cannot carry.
    pub fn encode(self, text: &str) -> Result<Vec<u8>, String> {
        match self {
            Charset::Utf8 => Ok(text.as_bytes().to_vec()),
            Charset::Iso2022Jp => {
                let missing = self.unencodable([text]);
                if !missing.is_empty() {
                    let missing: String = missing.into_iter().collect();
                    return Err(format!(
                        "ISO-2022-JP cannot carry these characters: {missing}"
                    ));
                }
                let text: String = text.chars().map(microsoft_form).collect();
                Ok(ISO_2022_JP.encode(&text).0.into_owned())
            }
        }
    }

    /// A header value as RFC 2047 encoded words in this charset, folded between words.
    pub fn encode_header(self, text: &str) -> Result<String, String> {
        let chars: Vec<char> = text.chars().collect();
        let words = chars
            .chunks(HEADER_CHUNK)
            .map(|chunk| {
                let chunk: String = chunk.iter().collect();
                // Each word ends back in ASCII, as RFC 1468 requires.
                let bytes = self.encode(&chunk)?;
                let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
                Ok(format!("=?{}?B?{encoded}?=", self.label()))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(words.join("\r\n "))
    }
}

/// The encoder follows Microsoft's mapping of a few JIS X 0208 characters; macOS writes the
/// JIS mapping's twin (〜 for ～). Both are the same JIS character, so the twin is sent as it.
fn microsoft_form(c: char) -> char {
    match c {
        '\u{301C}' => '\u{FF5E}',
        '\u{2016}' => '\u{2225}',
        '\u{2212}' => '\u{FF0D}',
        '\u{00A2}' => '\u{FFE0}',
        '\u{00A3}' => '\u{FFE1}',
        '\u{00AC}' => '\u{FFE2}',
        '\u{2014}' => '\u{2015}',
        c => c,
    }
}

/// Whether ISO-2022-JP as mail readers know it (RFC 1468: JIS X 0208) carries `c`. The
/// WHATWG encoder also writes NEC and IBM extension rows (①, ㈱, 髙) that many readers show
/// as garbage, and turns half-width katakana into full-width: both count as missing.
fn in_jis_x_0208(c: char) -> bool {
    if ('\u{FF61}'..='\u{FF9F}').contains(&c) {
        return false;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = ISO_2022_JP.encode(microsoft_form(c).encode_utf8(&mut buf));
    if had_errors {
        return false;
    }
    match bytes.as_ref() {
        // ESC $ B, then the row and cell of the character.
        [0x1b, b'$', b'B', lead, ..] => matches!(lead - 0x20, 1..=8 | 16..=84),
        // ESC ( J: the yen sign and overline of JIS X 0201 Roman.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_what_iso_2022_jp_cannot_carry() {
        let missing = Charset::Iso2022Jp.unencodable(["山田様 ①②", "㈱サンプル 髙橋 ｶﾅ ①"]);
        assert_eq!(missing, ['①', '②', '㈱', '髙', 'ｶ', 'ﾅ']);
        assert!(
            Charset::Iso2022Jp
                .unencodable(["亜 腕 ー 「」 ￥ ＡＢ 10時〜12時"])
                .is_empty()
        );
        assert!(Charset::Utf8.unencodable(["①"]).is_empty());
        assert!(Charset::Iso2022Jp.encode("髙").unwrap_err().contains('髙'));
    }

    #[test]
    fn encodes_headers_as_words_that_end_in_ascii() {
        let header = Charset::Iso2022Jp
            .encode_header("新商品のご案内：春の特別キャンペーンのお知らせ")
            .unwrap();
        let words: Vec<&str> = header.split("\r\n ").collect();
        assert_eq!(words.len(), 2);
        for word in words {
            assert!(
                word.starts_with("=?ISO-2022-JP?B?") && word.len() <= 75,
                "{word}"
            );
            let b64 = &word["=?ISO-2022-JP?B?".len()..word.len() - 2];
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            assert!(bytes.ends_with(b"\x1b(B"), "{bytes:?}");
        }
    }
}
