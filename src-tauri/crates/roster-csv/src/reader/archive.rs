//! Checking a workbook's zip before calamine opens it: calamine unpacks the shared strings and
//! the sheet as they are read and trusts the sizes and counts a file claims, so a 2 KB file can
//! make it reserve gigabytes and abort the process. Here the zip's central directory is read
//! (nothing is unpacked) and every part is held to the limits of [`super::limits`]; the zip crate
//! then refuses to unpack more than a part declares. The shared strings' claimed count is read
//! the way calamine reads it, and refused when it is absurd.

use super::ReadError;
use super::limits::{self, Count};
use quick_xml::events::Event;
use std::io::{BufReader, Cursor, Read};
use zip::ZipArchive;

/// What a workbook's zip is held to (the documented limits, or smaller ones in tests).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZipLimits {
    /// Largest unpacked size of one part.
    pub part_bytes: u64,
    /// Largest unpacked size of all parts.
    pub unpacked_bytes: u64,
    /// Highest unpacked : packed ratio of a part over `ratio_floor` bytes.
    pub ratio: u64,
    /// Parts up to this unpacked size may have any ratio.
    pub ratio_floor: u64,
    /// Most parts.
    pub parts: usize,
    /// Most shared strings claimed.
    pub shared_strings: u64,
}

impl ZipLimits {
    /// The documented limits.
    pub(crate) const DEFAULT: Self = Self {
        part_bytes: limits::MAX_PART_BYTES,
        unpacked_bytes: limits::MAX_UNPACKED_BYTES,
        ratio: limits::MAX_RATIO,
        ratio_floor: limits::RATIO_FLOOR_BYTES,
        parts: limits::MAX_PARTS,
        shared_strings: limits::MAX_SHARED_STRINGS,
    };
}

/// Refuses a zip that is not an .xlsx workbook, or that claims or would unpack to more than
/// `limits` allow.
pub(crate) fn check(bytes: &[u8], limits: &ZipLimits) -> Result<(), ReadError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(workbook_error)?;
    if archive.len() > limits.parts {
        return Err(unsafe_workbook(format!(
            "it has {} parts (at most {})",
            Count(archive.len() as u64),
            Count(limits.parts as u64)
        )));
    }
    let mut total: u64 = 0;
    let mut shared_strings = Vec::new();
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(workbook_error)?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let normal = name.replace('\\', "/").to_ascii_lowercase();
        if let Some(format) = other_format(&normal) {
            return Err(ReadError::UnsupportedWorkbook { format });
        }
        let (size, packed) = (entry.size(), entry.compressed_size());
        check_part(&name, size, packed, limits)?;
        total = total.saturating_add(size);
        if total > limits.unpacked_bytes {
            return Err(unsafe_workbook(format!(
                "its parts unpack to more than {} bytes",
                Count(limits.unpacked_bytes)
            )));
        }
        if normal.ends_with("sharedstrings.xml") {
            shared_strings.push(index);
        }
    }
    for index in shared_strings {
        let entry = archive.by_index(index).map_err(workbook_error)?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if let Some(claimed) = claimed_shared_strings(entry)?
            && claimed > limits.shared_strings
        {
            return Err(unsafe_workbook(format!(
                "its part {name} claims {} shared strings (at most {})",
                Count(claimed),
                Count(limits.shared_strings)
            )));
        }
    }
    Ok(())
}

/// The spreadsheet formats calamine reads that are refused here, by a part only they have.
fn other_format(normal_name: &str) -> Option<&'static str> {
    if normal_name == "mimetype" || normal_name == "content.xml" {
        Some("OpenDocument spreadsheets (.ods)")
    } else if normal_name.ends_with("workbook.bin") {
        Some("Excel binary workbooks (.xlsb)")
    } else {
        None
    }
}

fn check_part(name: &str, size: u64, packed: u64, limits: &ZipLimits) -> Result<(), ReadError> {
    if size > limits.part_bytes {
        return Err(unsafe_workbook(format!(
            "its part {name} unpacks to {} bytes (at most {} per part)",
            Count(size),
            Count(limits.part_bytes)
        )));
    }
    if size > limits.ratio_floor && size / packed.max(1) > limits.ratio {
        return Err(unsafe_workbook(format!(
            "its part {name} is compressed {}:1 ({} bytes packed into {}; a sheet compresses about 10:1, at most {}:1 is read)",
            Count(size / packed.max(1)),
            Count(size),
            Count(packed),
            limits.ratio
        )));
    }
    Ok(())
}

/// The `uniqueCount` of the shared strings' `<sst>` element, read as calamine reads it (the first
/// start tag whose local name is `sst`, with the same reader settings), or `None` when it has
/// none or the part is not XML calamine would get that far in. A value that is not a plain
/// number is ignored by calamine too.
fn claimed_shared_strings<R: Read>(part: R) -> Result<Option<u64>, ReadError> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "sst" => {
                return Ok(unique_count(e.attributes_raw().as_bytes()));
            }
            Ok(Event::Eof) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
    }
}

/// The largest number given to a `uniqueCount` attribute in a tag's raw attributes (every
/// occurrence is read, so a repeated attribute cannot hide one); `u64::MAX` for a number too
/// long to hold.
fn unique_count(raw: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"uniqueCount";
    let mut largest = None;
    let mut from = 0;
    while let Some(at) = find(&raw[from..], KEY) {
        let mut rest = &raw[from + at + KEY.len()..];
        from += at + KEY.len();
        rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let Some((&quote, rest)) = rest.split_first() else {
            continue;
        };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let value = rest.split(|&b| b == quote).next().unwrap_or_default();
        if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let digits = value
            .iter()
            .position(|&b| b != b'0')
            .map_or(&value[..0], |first| &value[first..]);
        let number = if digits.len() > 19 {
            u64::MAX
        } else {
            digits
                .iter()
                .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'))
        };
        largest = largest.max(Some(number));
    }
    largest
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn unsafe_workbook(reason: String) -> ReadError {
    ReadError::UnsafeWorkbook { reason }
}

fn workbook_error(e: zip::result::ZipError) -> ReadError {
    ReadError::Workbook {
        detail: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_counts_are_read_like_calamine_reads_them() {
        assert_eq!(unique_count(br#" count="3" uniqueCount="2""#), Some(2));
        assert_eq!(unique_count(b" uniqueCount = '0042'"), Some(42));
        assert_eq!(unique_count(br#" uniqueCount="12x""#), None);
        assert_eq!(unique_count(br#" uniqueCount="+5""#), None);
        assert_eq!(unique_count(b" xmlns=\"x\""), None);
        assert_eq!(
            unique_count(br#" uniqueCount="99999999999999999999999""#),
            Some(u64::MAX)
        );
        assert_eq!(
            unique_count(br#" uniqueCount="1" uniqueCount="4000000000""#),
            Some(4_000_000_000)
        );
    }

    #[test]
    fn parts_are_held_to_size_and_ratio() {
        let limits = ZipLimits {
            part_bytes: 1000,
            ratio_floor: 100,
            ratio: 10,
            ..ZipLimits::DEFAULT
        };
        assert!(check_part("a", 1000, 100, &limits).is_ok());
        assert!(check_part("a", 100, 1, &limits).is_ok());
        let e = check_part("xl/a.xml", 1001, 500, &limits).unwrap_err();
        assert!(e.to_string().contains("1,001 bytes"), "{e}");
        assert!(check_part("xl/a.xml", 1000, 100, &limits).is_ok());
        let e = check_part("xl/a.xml", 1000, 90, &limits).unwrap_err();
        assert!(e.to_string().contains("compressed 11:1"), "{e}");
        assert!(check_part("xl/a.xml", 1000, 0, &limits).is_err());
    }
}
