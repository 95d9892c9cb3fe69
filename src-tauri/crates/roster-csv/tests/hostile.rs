//! Hostile and oversized member files: workbooks that claim or unpack to far more than they hold,
//! files that are not files, and files past the documented limits. Each is built here, in the test;
//! before these limits existed the workbooks aborted the process (allocation failure), the FIFO
//! blocked forever and the rest were read whole.

use roster_csv::{InputKind, ReadError, parse_member_file, read_member_file};
use std::io::{Cursor, Write};
use std::time::Duration;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A minimal .xlsx: one sheet named `Members` with `sheet_data` as its `<sheetData>` and, when
/// given, `shared` as its shared strings part.
fn workbook(dimension: Option<&str>, sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
    let mut parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
                r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
                r#"<Default Extension="xml" ContentType="application/xml"/>"#,
                r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
                r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
                r#"</Types>"#
            )
            .to_owned(),
        ),
        (
            "_rels/.rels",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
                r#"</Relationships>"#
            )
            .to_owned(),
        ),
        (
            "xl/workbook.xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
                r#"<sheets><sheet name="Members" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            )
            .to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
                r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
                r#"</Relationships>"#
            )
            .to_owned(),
        ),
    ];
    let dimension = dimension
        .map(|d| format!(r#"<dimension ref="{d}"/>"#))
        .unwrap_or_default();
    parts.push((
        "xl/worksheets/sheet1.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"#
        ),
    ));
    if let Some(shared) = shared {
        parts.push(("xl/sharedStrings.xml", shared.to_owned()));
    }
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

fn message(result: Result<roster_csv::MemberFile, ReadError>) -> String {
    match result {
        Ok(file) => panic!("read {} rows, expected a refusal", file.rows.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_sheet_whose_cells_span_the_whole_grid_is_refused_not_allocated() {
    let bytes = workbook(
        None,
        &format!(
            r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
            inline("A1", "upn"),
            inline("XFD1048576", "x")
        ),
        None,
    );
    assert!(bytes.len() < 4096, "{} bytes", bytes.len());
    let text = message(parse_member_file(&bytes));
    assert!(text.contains("A1:XFD1048576"), "{text}");
    assert!(text.contains("1,048,576 rows × 16,384 columns"), "{text}");
    assert!(text.contains("CSV"), "{text}");
}

#[test]
fn a_declared_dimension_is_not_trusted_for_a_small_sheet() {
    let bytes = workbook(
        Some("A1:XFD1048576"),
        &format!(
            r#"<row r="1">{}</row><row r="2">{}</row>"#,
            inline("A1", "upn"),
            inline("A2", "adele@contoso.com")
        ),
        None,
    );
    let file = parse_member_file(&bytes).unwrap();
    assert_eq!(file.rows.len(), 1);
    assert_eq!(file.rows[0].kind, InputKind::Upn);
}

#[test]
fn shared_strings_that_claim_billions_are_refused() {
    let bytes = workbook(
        None,
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        Some(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>adele@contoso.com</t></si></sst>"#,
        ),
    );
    let text = message(parse_member_file(&bytes));
    assert!(text.contains("4,000,000,000 shared strings"), "{text}");
    assert!(text.contains("CSV"), "{text}");
}

#[test]
fn a_zip_bomb_in_the_shared_strings_is_refused_before_it_is_unpacked() {
    let bomb = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{}</t></si></sst>"#,
        "a".repeat(8 << 20)
    );
    let bytes = workbook(
        None,
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        Some(&bomb),
    );
    assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
    let text = message(parse_member_file(&bytes));
    assert!(text.contains("xl/sharedStrings.xml"), "{text}");
    assert!(text.contains("compressed"), "{text}");
    assert!(text.contains("CSV"), "{text}");
}

/// Rewrites the declared uncompressed size of `name` in its local header and central directory
/// entry: a lying zip.
fn declare_size(bytes: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    for i in 0..bytes.len().saturating_sub(46) {
        let (offset_of_size, offset_of_name, name_len_at) = match &bytes[i..i + 4] {
            b"PK\x03\x04" => (22, 30, 26),
            b"PK\x01\x02" => (24, 46, 28),
            _ => continue,
        };
        let len = u16::from_le_bytes([bytes[i + name_len_at], bytes[i + name_len_at + 1]]);
        let start = i + offset_of_name;
        if usize::from(len) == name.len() && bytes.get(start..start + name.len()) == Some(name) {
            bytes[i + offset_of_size..i + offset_of_size + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local header and central directory entry");
}

#[test]
fn a_part_that_declares_more_than_the_limit_is_refused() {
    let mut bytes = workbook(
        None,
        &format!(r#"<row r="1">{}</row>"#, inline("A1", "adele@contoso.com")),
        None,
    );
    declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 300_000_000);
    let text = message(parse_member_file(&bytes));
    assert!(text.contains("xl/worksheets/sheet1.xml"), "{text}");
    assert!(text.contains("300,000,000 bytes"), "{text}");
}

#[test]
fn legacy_and_other_workbook_formats_are_refused_with_advice() {
    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.resize(4096, 0);
    let text = message(parse_member_file(&xls));
    assert!(text.contains("Excel 97-2003"), "{text}");
    assert!(text.contains(".xlsx"), "{text}");

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let ods = zip.finish().unwrap().into_inner();
    let text = message(parse_member_file(&ods));
    assert!(text.contains("OpenDocument"), "{text}");
    assert!(text.contains(".xlsx"), "{text}");
}

#[test]
fn a_sheet_starting_in_column_c_reads_as_before() {
    let bytes = workbook(
        None,
        &format!(
            r#"<row r="2">{}{}</row><row r="3">{}</row><row r="5">{}</row>"#,
            inline("C2", "Name"),
            inline("D2", "UPN"),
            inline("D3", "adele@contoso.com"),
            inline("D5", "alex@contoso.com")
        ),
        None,
    );
    let file = parse_member_file(&bytes).unwrap();
    assert_eq!(file.header_line, Some(2));
    assert_eq!((file.column.index, file.column.columns), (1, 2));
    let rows: Vec<(usize, &str)> = file
        .rows
        .iter()
        .map(|r| (r.line, r.value.as_str()))
        .collect();
    assert_eq!(
        rows,
        [(3, "adele@contoso.com"), (4, ""), (5, "alex@contoso.com")]
    );
}

#[test]
fn a_folder_is_refused_as_not_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = message(read_member_file(dir.path()));
    assert!(text.contains("is a folder"), "{text}");
    assert!(text.contains("choose the CSV or .xlsx file"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("members.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let outcome = read_member_file(&path).map(|file| file.rows.len());
        drop(tx.send(outcome.map_err(|e| e.to_string())));
    });
    let outcome = rx.recv_timeout(Duration::from_secs(20));
    if outcome.is_err() {
        // Unblock the reader before failing, so the thread ends.
        drop(std::fs::OpenOptions::new().write(true).open(&fifo));
    }
    let text = match outcome.expect("reading a FIFO blocked: it must be refused before opening") {
        Ok(_) => panic!("a FIFO was read"),
        Err(text) => text,
    };
    assert!(text.contains("named pipe"), "{text}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("members.csv");
    let file = std::fs::File::create(&path).unwrap();
    // A sparse file: 60 MB on paper, nothing on disk.
    file.set_len(60_000_000).unwrap();
    let text = message(read_member_file(&path));
    assert!(text.contains("60.0 MB"), "{text}");
    assert!(text.contains("50 MB"), "{text}");
    let text = message(parse_member_file(&vec![b'\n'; 50_000_001]));
    assert!(text.contains("50 MB"), "{text}");
}

#[test]
fn more_rows_than_the_limit_are_refused() {
    let mut text = String::from("userPrincipalName\n");
    for _ in 0..1_000_001 {
        text.push_str("a@contoso.com\n");
    }
    let text = message(parse_member_file(text.as_bytes()));
    assert!(text.contains("1,000,000 rows"), "{text}");
    assert!(text.contains("split"), "{text}");
}

#[test]
fn many_blank_rows_are_counted() {
    let mut text = String::from("userPrincipalName\nadele@contoso.com\n");
    text.push_str(&"\n".repeat(900_000));
    let file = parse_member_file(text.as_bytes()).unwrap();
    assert_eq!(file.counts().blank, 900_000);
    assert_eq!(file.counts().actionable, 1);
}

#[test]
fn a_row_wider_than_the_limit_is_refused() {
    let text = format!("upn{}\nadele@contoso.com\n", ",x".repeat(20_000));
    let text = message(parse_member_file(text.as_bytes()));
    assert!(text.contains("line 1"), "{text}");
    assert!(text.contains("16,384 columns"), "{text}");
}

/// Found by fuzzing (member_xlsx): calamine's column arithmetic overflows on a reference of many
/// letters and panics in builds with overflow checks, as tests are.
#[test]
fn a_cell_reference_that_overflows_calamine_is_a_workbook_error() {
    let bytes = workbook(
        None,
        &format!(
            r#"<row r="1">{}</row><row r="2">{}</row>"#,
            inline("A1", "upn"),
            inline("ZZZZZZZZZZZZ2", "adele@contoso.com")
        ),
        None,
    );
    let text = message(parse_member_file(&bytes));
    assert!(text.contains("the workbook could not be read"), "{text}");
}
