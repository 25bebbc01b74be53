//! What a file is, judged by its bytes rather than its name: a workbook, or text in some
//! encoding with some delimiter.

use encoding_rs::{EUC_JP, Encoding, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

/// ZIP (xlsx, xlsm, xlsb, ods) and OLE2 (xls) signatures.
const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Ole,
    Text,
}

pub fn kind(bytes: &[u8]) -> Kind {
    if bytes.starts_with(ZIP) {
        Kind::Zip
    } else if bytes.starts_with(OLE) {
        Kind::Ole
    } else {
        Kind::Text
    }
}

/// A text encoding as detected or chosen, with the name shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding {
    pub encoding: &'static Encoding,
    pub bom: bool,
}

impl TextEncoding {
    /// The name people know: Excel's Japanese CSV is "CP932" (encoding_rs's Shift_JIS is
    /// Windows-31J, the same table).
    pub fn label(&self) -> String {
        let name = if self.encoding == SHIFT_JIS {
            "CP932"
        } else {
            self.encoding.name()
        };
        if self.bom {
            format!("{name} (BOM)")
        } else {
            name.to_string()
        }
    }
}

/// The encoding a user named: WHATWG labels, plus the names Japanese offices use.
pub fn encoding_for(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().to_ascii_lowercase();
    match label.as_str() {
        "cp932" | "ms932" | "windows-932" | "sjis" => Some(SHIFT_JIS),
        "eucjp" => Some(EUC_JP),
        "utf16" | "utf-16" => Some(UTF_16LE),
        _ => Encoding::for_label(label.as_bytes()),
    }
}

/// Detects the encoding: a byte-order mark first, then the NUL pattern of BOM-less UTF-16,
/// then strict UTF-8, and otherwise the most likely legacy encoding for Japanese text.
pub fn encoding(bytes: &[u8]) -> TextEncoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return TextEncoding {
            encoding,
            bom: true,
        };
    }
    let plain = |encoding| TextEncoding {
        encoding,
        bom: false,
    };
    if let Some(utf16) = utf16_without_bom(bytes) {
        return plain(utf16);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return plain(UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    plain(detector.guess(Some(b"jp"), chardetng::Utf8Detection::Deny))
}

/// UTF-16 text of mostly ASCII-range characters has a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let nul_at = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if odd * 10 >= pairs * 3 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 3 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decodes strictly: text that is not valid in the encoding is an error naming the first bad
/// line, never silently replaced characters. A byte-order mark is left for the caller. UTF-8
/// is taken as it is, without a copy of a file that may be hundreds of megabytes.
pub fn decode(bytes: Vec<u8>, encoding: TextEncoding) -> Result<String, u64> {
    if encoding.encoding == UTF_8 {
        return String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1
        });
    }
    let (text, _, had_errors) = encoding.encoding.decode(&bytes);
    if had_errors {
        let line = text
            .lines()
            .position(|l| l.contains('\u{FFFD}'))
            .map_or(1, |i| i as u64 + 1);
        return Err(line);
    }
    Ok(text.into_owned())
}

/// Candidate delimiters, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Picks the delimiter that splits the first lines into the same number of fields most
/// consistently (quoted text ignored).
pub fn delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let score = |d: u8| -> usize {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let Some(&most) = mode(&counts) else { return 0 };
        if most == 0 {
            return 0;
        }
        counts.iter().filter(|&&c| c == most).count() * 1000 + most
    };
    DELIMITERS
        .into_iter()
        .map(|d| (d, score(d)))
        .fold(
            (b',', 0),
            |best, (d, s)| if s > best.1 { (d, s) } else { best },
        )
        .0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            b == delimiter && !quoted
        })
        .count()
}

fn mode(values: &[usize]) -> Option<&usize> {
    values
        .iter()
        .max_by_key(|v| (values.iter().filter(|w| w == v).count(), **v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn detects_boms_utf16_utf8_cp932_and_euc_jp() {
        let label = |bytes: &[u8]| encoding(bytes).label();
        assert_eq!(label("\u{feff}メール".as_bytes()), "UTF-8 (BOM)");
        assert_eq!(label(&utf16le("氏名\tメール\n", true)), "UTF-16LE (BOM)");
        assert_eq!(
            label(&utf16le("name\temail\na\tb@c.jp\n", false)),
            "UTF-16LE"
        );
        assert_eq!(label("氏名,メールアドレス\n".as_bytes()), "UTF-8");
        let text = "氏名,メールアドレス,会社名\n山田 太郎,yamada@example.jp,株式会社サンプル\n";
        assert_eq!(label(&SHIFT_JIS.encode(text).0), "CP932");
        assert_eq!(label(&EUC_JP.encode(text).0), "EUC-JP");
    }

    #[test]
    fn decoding_is_strict_and_names_the_line() {
        let utf8 = TextEncoding {
            encoding: UTF_8,
            bom: false,
        };
        assert_eq!(decode(b"a\nb\n\xff\n".to_vec(), utf8), Err(3));
        assert_eq!(
            decode("①㈱髙～".as_bytes().to_vec(), utf8).unwrap(),
            "①㈱髙～"
        );
        let sjis = TextEncoding {
            encoding: SHIFT_JIS,
            bom: false,
        };
        assert_eq!(
            decode(SHIFT_JIS.encode("①㈱髙～").0.into_owned(), sjis).unwrap(),
            "①㈱髙～"
        );
    }

    #[test]
    fn sniffs_the_delimiter() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(delimiter("氏名\tメール\n山田\ty@x.jp\n"), b'\t');
        assert_eq!(delimiter("a;b\n\"x;y\";2\n3;4\n"), b';');
        assert_eq!(
            delimiter("\"Yamada, Taro\"\tyamada@x.jp\nSato\ts@x.jp\n"),
            b'\t'
        );
    }

    #[test]
    fn knows_office_names_for_encodings() {
        assert_eq!(encoding_for("cp932"), Some(SHIFT_JIS));
        assert_eq!(encoding_for("Shift_JIS"), Some(SHIFT_JIS));
        assert_eq!(encoding_for("euc-jp"), Some(EUC_JP));
        assert_eq!(encoding_for("klingon"), None);
    }
}
