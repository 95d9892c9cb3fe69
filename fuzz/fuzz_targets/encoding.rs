//! Encoding detection and decoding of member files (BOM, UTF-8, Windows-1252, UTF-16).
#![no_main]

use libfuzzer_sys::fuzz_target;
use roster_csv::reader::TextEncoding;

fuzz_target!(|data: &[u8]| {
    let Ok((text, encoding)) = roster_csv::decode_text(data) else {
        return;
    };
    match encoding {
        TextEncoding::Utf8 => assert_eq!(text.as_bytes(), data),
        TextEncoding::Utf8Bom => assert_eq!(text.as_bytes(), &data[3..]),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => assert!(text.len() <= data.len() * 2),
        TextEncoding::Windows1252 => assert_eq!(text.chars().count(), data.len()),
    }
});
