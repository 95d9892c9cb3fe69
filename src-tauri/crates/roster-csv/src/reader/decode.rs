//! Detecting a text file's encoding and decoding it: BOM → UTF-8/UTF-16, else valid UTF-8,
//! else Windows-1252 (what Excel's "CSV" saves on Western Windows).

use super::ReadError;
use encoding_rs::{Encoding, UTF_8, UTF_16LE, WINDOWS_1252};
use serde::Serialize;

/// The text encoding a CSV file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TextEncoding {
    /// UTF-8 with a byte-order mark ("CSV UTF-8" in Excel).
    Utf8Bom,
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-16 little-endian with a BOM (Excel "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian with a BOM.
    Utf16Be,
    /// Windows-1252 (not valid UTF-8, no BOM).
    Windows1252,
}

/// Decodes `bytes` (a file that is not a workbook) into text.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), ReadError> {
    let (encoding, kind, body): (&'static Encoding, TextEncoding, &[u8]) =
        match Encoding::for_bom(bytes) {
            Some((enc, bom_len)) if enc == UTF_8 => (enc, TextEncoding::Utf8Bom, &bytes[bom_len..]),
            Some((enc, bom_len)) if enc == UTF_16LE => {
                (enc, TextEncoding::Utf16Le, &bytes[bom_len..])
            }
            Some((enc, bom_len)) => (enc, TextEncoding::Utf16Be, &bytes[bom_len..]),
            None => {
                if bytes.contains(&0) {
                    return Err(looks_binary(bytes));
                }
                match std::str::from_utf8(bytes) {
                    Ok(text) => return Ok((text.to_owned(), TextEncoding::Utf8)),
                    Err(_) => (WINDOWS_1252, TextEncoding::Windows1252, bytes),
                }
            }
        };
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or(ReadError::Encoding {
            encoding: encoding.name(),
        })?;
    if matches!(kind, TextEncoding::Windows1252) && has_control_bytes(&text) {
        return Err(ReadError::Binary);
    }
    if !matches!(kind, TextEncoding::Windows1252) && text.contains('\0') {
        return Err(ReadError::Binary);
    }
    Ok((text.into_owned(), kind))
}

/// Control characters other than tab, CR, LF (and form feed/EOF that some tools append) do not
/// occur in CSV text: a file full of them is binary read as Windows-1252.
fn has_control_bytes(text: &str) -> bool {
    text.chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{0c}' | '\u{1a}'))
        .nth(3)
        .is_some()
}

/// NUL bytes without a BOM: UTF-16 saved without a BOM (every other byte NUL), or binary.
fn looks_binary(bytes: &[u8]) -> ReadError {
    let sample = &bytes[..bytes.len().min(200)];
    let even_nuls = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let half = sample.len() / 2;
    if half > 0 && (even_nuls * 10 >= half * 8 || odd_nuls * 10 >= half * 8) {
        ReadError::Utf16WithoutBom
    } else {
        ReadError::Binary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_pick_the_encoding() {
        let (t, e) = decode(b"\xEF\xBB\xBFa\r\n").unwrap();
        assert_eq!((t.as_str(), e), ("a\r\n", TextEncoding::Utf8Bom));
        let (t, e) = decode(b"\xFF\xFEa\0b\0").unwrap();
        assert_eq!((t.as_str(), e), ("ab", TextEncoding::Utf16Le));
        let (t, e) = decode(b"\xFE\xFF\0a\0b").unwrap();
        assert_eq!((t.as_str(), e), ("ab", TextEncoding::Utf16Be));
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let (t, e) = decode(b"Jos\xE9@contoso.com").unwrap();
        assert_eq!(
            (t.as_str(), e),
            ("José@contoso.com", TextEncoding::Windows1252)
        );
        let (t, e) = decode("José".as_bytes()).unwrap();
        assert_eq!((t.as_str(), e), ("José", TextEncoding::Utf8));
    }

    #[test]
    fn nul_bytes_without_bom_are_refused() {
        assert!(matches!(
            decode(b"a\0b\0c\0d\0"),
            Err(ReadError::Utf16WithoutBom)
        ));
        assert!(matches!(
            decode(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0"),
            Err(ReadError::Binary)
        ));
        assert!(matches!(
            decode(b"\xFF\xFEa\0b"),
            Err(ReadError::Encoding { .. })
        ));
    }
}
