//! Opening a CSV the way admins have them: Roster's downloads, the admin center's, PowerShell's
//! `Export-Csv` (with or without its `#TYPE` line), Excel re-saves (`sep=;` line, `;` and CRLF in
//! Dutch Excel, "CSV UTF-8" with a BOM, Windows-1252 without one) and UTF-16 with a BOM. The file is
//! streamed, never read whole: what is detected comes from its first 64 KiB.

use crate::error::ReviewError;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use roster_csv::reader::TextEncoding;
use serde::Serialize;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// How much of the file detection looks at.
const SNIFF_BYTES: usize = 64 * 1024;

/// What was detected about a file before its rows were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detected {
    /// The text encoding.
    pub encoding: TextEncoding,
    /// The field delimiter (`,`, `;`, tab or `|`).
    pub delimiter: char,
    /// Lines before the header that are not data (`#TYPE ...`, `sep=;`), as read.
    pub preamble: Vec<String>,
}

/// The decoded text stream of a file, positioned on its header line.
pub(crate) type TextStream = BufReader<Box<dyn Read + Send>>;

/// Detects a file's encoding, delimiter and preamble.
pub(crate) fn detect(path: &Path) -> Result<Detected, ReviewError> {
    let prefix = read_prefix(path)?;
    let encoding = sniff_encoding(&prefix)?;
    detect_layout(&prefix, encoding)
}

/// Detects like [`detect`] but with the encoding given (a file first taken for UTF-8 that turns out
/// not to be is read again as Windows-1252).
pub(crate) fn detect_as(path: &Path, encoding: TextEncoding) -> Result<Detected, ReviewError> {
    detect_layout(&read_prefix(path)?, encoding)
}

fn detect_layout(prefix: &[u8], encoding: TextEncoding) -> Result<Detected, ReviewError> {
    let text = decode_prefix(prefix, encoding);
    if matches!(encoding, TextEncoding::Windows1252) && has_control_chars(&text) {
        return Err(ReviewError::Binary);
    }
    let mut preamble = Vec::new();
    let mut delimiter = None;
    let mut lines = text.lines();
    let header = loop {
        let Some(line) = lines.next() else {
            break "";
        };
        if let Some(sep) = line.strip_prefix("sep=").filter(|_| preamble.is_empty()) {
            delimiter = sep.chars().next();
            preamble.push(line.to_owned());
        } else if line.starts_with("#TYPE") || line.starts_with("#TYPE ") {
            preamble.push(line.to_owned());
        } else {
            break line;
        }
    };
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(header));
    Ok(Detected {
        encoding,
        delimiter,
        preamble,
    })
}

/// Opens the file as decoded UTF-8 text with the preamble lines skipped.
pub(crate) fn open_stream(path: &Path, detected: &Detected) -> Result<TextStream, ReviewError> {
    let mut file = open_regular(path)?;
    let utf16 = match detected.encoding {
        TextEncoding::Utf8 => None,
        TextEncoding::Utf8Bom => {
            // UTF-8 is read as bytes, so that a byte that is not UTF-8 is seen (and the file
            // read again as Windows-1252) instead of silently replaced.
            let mut bom = [0u8; 3];
            file.read_exact(&mut bom)?;
            None
        }
        TextEncoding::Utf16Le => Some(UTF_16LE),
        TextEncoding::Utf16Be => Some(UTF_16BE),
        TextEncoding::Windows1252 => Some(WINDOWS_1252),
    };
    let reader: Box<dyn Read + Send> = match utf16 {
        None => Box::new(file),
        Some(encoding) => Box::new(decoder(file, encoding)),
    };
    let mut stream = BufReader::with_capacity(256 * 1024, reader);
    let mut skipped = Vec::new();
    for _ in &detected.preamble {
        skipped.clear();
        stream.read_until(b'\n', &mut skipped)?;
    }
    Ok(stream)
}

fn decoder(file: File, encoding: &'static Encoding) -> DecodeReaderBytes<File, Vec<u8>> {
    DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_sniffing(true)
        .strip_bom(true)
        .build(file)
}

/// Opens `path` for reading when it is a regular file (not a folder, FIFO or device: a FIFO
/// would block forever).
pub(crate) fn open_regular(path: &Path) -> Result<File, ReviewError> {
    let metadata = std::fs::metadata(path).map_err(|e| ReviewError::open(path, &e))?;
    if metadata.is_dir() {
        return Err(ReviewError::NotAFile {
            path: path.display().to_string(),
        });
    }
    if !metadata.is_file() {
        return Err(ReviewError::NotAFile {
            path: path.display().to_string(),
        });
    }
    File::open(path).map_err(|e| ReviewError::open(path, &e))
}

fn read_prefix(path: &Path) -> Result<Vec<u8>, ReviewError> {
    let file = open_regular(path)?;
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    file.take(SNIFF_BYTES as u64).read_to_end(&mut prefix)?;
    Ok(prefix)
}

/// The encoding from the first bytes: a BOM decides; NUL bytes without one mean binary (or
/// UTF-16 without a BOM, which cannot be told from binary reliably); valid UTF-8 is UTF-8;
/// anything else is Windows-1252, what Excel's plain "CSV" saves on Western Windows.
pub(crate) fn sniff_encoding(prefix: &[u8]) -> Result<TextEncoding, ReviewError> {
    if prefix.starts_with(b"PK\x03\x04") {
        return Err(ReviewError::Workbook);
    }
    if let Some((encoding, _)) = Encoding::for_bom(prefix) {
        return Ok(if encoding == UTF_8 {
            TextEncoding::Utf8Bom
        } else if encoding == UTF_16LE {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        });
    }
    if prefix.contains(&0) {
        return Err(ReviewError::Binary);
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => Ok(TextEncoding::Utf8),
        // A character cut by the end of a full sample is still UTF-8.
        Err(e) if e.error_len().is_none() && prefix.len() >= SNIFF_BYTES => Ok(TextEncoding::Utf8),
        Err(_) => Ok(TextEncoding::Windows1252),
    }
}

fn decode_prefix(prefix: &[u8], encoding: TextEncoding) -> String {
    let (enc, skip) = match encoding {
        TextEncoding::Utf8 => (UTF_8, 0),
        TextEncoding::Utf8Bom => (UTF_8, 3),
        TextEncoding::Utf16Le => (UTF_16LE, 2),
        TextEncoding::Utf16Be => (UTF_16BE, 2),
        TextEncoding::Windows1252 => (WINDOWS_1252, 0),
    };
    let body = prefix.get(skip..).unwrap_or_default();
    enc.decode_without_bom_handling(body).0.into_owned()
}

/// The delimiter the header line uses most, outside quotes: `,`, `;`, tab or `|`; `,` when none.
fn sniff_delimiter(header: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0), ('|', 0)];
    let mut quoted = false;
    for c in header.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map_or(',', |(d, _)| *d)
}

/// Control characters other than tab, CR, LF (and form feed/EOF some tools append) do not occur
/// in CSV text: several of them mean a binary file read as Windows-1252.
fn has_control_chars(text: &str) -> bool {
    text.chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{0c}' | '\u{1a}'))
        .nth(3)
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_from_the_first_bytes() {
        assert_eq!(
            sniff_encoding(b"\xEF\xBB\xBFa,b").ok(),
            Some(TextEncoding::Utf8Bom)
        );
        assert_eq!(
            sniff_encoding(b"\xFF\xFEa\0").ok(),
            Some(TextEncoding::Utf16Le)
        );
        assert_eq!(
            sniff_encoding(b"\xFE\xFF\0a").ok(),
            Some(TextEncoding::Utf16Be)
        );
        assert_eq!(
            sniff_encoding("José".as_bytes()).ok(),
            Some(TextEncoding::Utf8)
        );
        assert_eq!(
            sniff_encoding(b"Jos\xE9").ok(),
            Some(TextEncoding::Windows1252)
        );
        // A multi-byte character cut by the sample's end.
        let mut cut = vec![b'a'; SNIFF_BYTES - 1];
        cut.push(0xC3);
        assert_eq!(sniff_encoding(&cut).ok(), Some(TextEncoding::Utf8));
        assert!(matches!(
            sniff_encoding(b"a\0b\0"),
            Err(ReviewError::Binary)
        ));
        assert!(matches!(
            sniff_encoding(b"PK\x03\x04rest"),
            Err(ReviewError::Workbook)
        ));
    }

    #[test]
    fn delimiters_outside_quotes_count() {
        assert_eq!(sniff_delimiter("a;b;c"), ';');
        assert_eq!(sniff_delimiter("\"a,b\";c"), ';');
        assert_eq!(sniff_delimiter("a\tb"), '\t');
        assert_eq!(sniff_delimiter("single"), ',');
        assert_eq!(sniff_delimiter("a,b;c,d"), ',');
    }

    #[test]
    fn preamble_lines_are_named() {
        let d = detect_layout(
            b"#TYPE System.Management.Automation.PSCustomObject\r\n\"a\";\"b\"\r\n",
            TextEncoding::Utf8,
        )
        .unwrap();
        assert_eq!(d.delimiter, ';');
        assert_eq!(d.preamble.len(), 1);
        let d = detect_layout(b"sep=;\r\na,b;c\r\n", TextEncoding::Utf8).unwrap();
        assert_eq!((d.delimiter, d.preamble.len()), (';', 1));
    }
}
