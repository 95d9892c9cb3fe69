//! Member-file reader tests on real file bytes (fixtures written by `fixtures/generate.py`).

use roster_csv::reader::{InputDelimiter, TextEncoding};
use roster_csv::{FileFormat, InputKind, MemberFile, ReadError, RowCounts, read_member_file};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> MemberFile {
    read_member_file(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn values(file: &MemberFile) -> Vec<(usize, &str, InputKind)> {
    file.rows
        .iter()
        .map(|r| (r.line, r.value.as_str(), r.kind.clone()))
        .collect()
}

#[test]
fn historic_template_skips_version_header_and_example() {
    let f = read("template_v1.csv");
    assert_eq!(
        f.format,
        FileFormat::Csv {
            encoding: TextEncoding::Utf8Bom,
            delimiter: InputDelimiter::Comma
        }
    );
    assert_eq!(f.version_line, Some(1));
    assert_eq!(f.header_line, Some(2));
    assert_eq!(f.example_lines, vec![3]);
    assert_eq!(
        f.column.header.as_deref(),
        Some("Member object ID or user principal name [memberObjectIdOrUpn] Required")
    );
    assert_eq!(
        values(&f),
        vec![
            (4, "adele.vance@contoso.com", InputKind::Upn),
            (5, "9832aad8-e4fe-496b-a604-95c6ef01ae75", InputKind::Id),
            (
                6,
                "jane_fabrikam.com#EXT#@contoso.onmicrosoft.com",
                InputKind::Upn
            ),
        ]
    );
}

#[test]
fn current_template_reports_blank_lines_and_duplicates() {
    let f = read("template_2026.csv");
    assert_eq!(f.version_line, None);
    assert_eq!(f.header_line, Some(1));
    assert_eq!(
        values(&f),
        vec![
            (2, "adele.vance@contoso.com", InputKind::Upn),
            (3, "", InputKind::Blank),
            (4, "ADELE.VANCE@contoso.com", InputKind::Upn),
            (5, "alex@contoso.com", InputKind::Upn),
        ]
    );
    assert_eq!(f.rows[2].duplicate_of, Some(2));
    assert!(!f.rows[2].is_actionable());
    assert_eq!(
        f.counts(),
        RowCounts {
            actionable: 2,
            blank: 1,
            duplicates: 1,
            invalid: 0
        }
    );
}

#[test]
fn new_portal_object_id_column_and_invalid_rows() {
    let f = read("objectid.csv");
    assert_eq!(f.column.header.as_deref(), Some("ObjectId"));
    assert_eq!(f.rows[0].kind, InputKind::Id);
    assert_eq!(f.rows[1].line, 3);
    let InputKind::Invalid(reason) = &f.rows[1].kind else {
        panic!("{:?}", f.rows[1]);
    };
    assert!(reason.contains("GUID"), "{reason}");
}

#[test]
fn a_single_row_without_header_is_enough() {
    let f = read("one_row.csv");
    assert_eq!(f.header_line, None);
    assert_eq!(f.column.index, 0);
    assert_eq!(values(&f), vec![(1, "megan@contoso.com", InputKind::Upn)]);
}

#[test]
fn extra_columns_are_ignored_and_the_identifier_column_is_named() {
    let f = read("extra_columns.csv");
    assert_eq!(f.column.index, 1);
    assert_eq!(f.column.columns, 3);
    assert_eq!(f.column.header.as_deref(), Some("userPrincipalName"));
    assert_eq!(
        values(&f),
        vec![
            (2, "adele.vance@contoso.com", InputKind::Upn),
            (3, "alex@contoso.com", InputKind::Upn),
            (5, "megan+list@contoso.com", InputKind::Mail),
        ]
    );
}

#[test]
fn excel_unicode_text_is_utf16le_and_tab_delimited() {
    let f = read("unicode_text_utf16le.txt");
    assert_eq!(
        f.format,
        FileFormat::Csv {
            encoding: TextEncoding::Utf16Le,
            delimiter: InputDelimiter::Tab
        }
    );
    assert_eq!(f.column.header.as_deref(), Some("E-mail"));
    assert_eq!(
        values(&f),
        vec![
            (2, "zoe@contoso.com", InputKind::Upn),
            (3, "taro@contoso.com", InputKind::Upn)
        ]
    );
}

#[test]
fn utf16be_with_bom() {
    let f = read("utf16be.csv");
    assert!(matches!(
        f.format,
        FileFormat::Csv {
            encoding: TextEncoding::Utf16Be,
            ..
        }
    ));
    assert_eq!(
        values(&f),
        vec![(2, "adele.vance@contoso.com", InputKind::Upn)]
    );
}

#[test]
fn windows_1252_with_semicolons() {
    let f = read("windows1252_semicolon.csv");
    assert_eq!(
        f.format,
        FileFormat::Csv {
            encoding: TextEncoding::Windows1252,
            delimiter: InputDelimiter::Semicolon
        }
    );
    assert_eq!(f.column.header.as_deref(), Some("E-mail"));
    assert_eq!(f.rows.len(), 2);
    assert_eq!(f.rows[0].value, "jose@contoso.com");
}

#[test]
fn workbook_first_sheet_with_sheet_row_numbers() {
    let f = read("members.xlsx");
    assert_eq!(
        f.format,
        FileFormat::Workbook {
            sheet: "Members".into()
        }
    );
    assert_eq!(f.header_line, Some(1));
    assert_eq!(f.column.header.as_deref(), Some("ObjectId"));
    assert_eq!(
        values(&f),
        vec![
            (2, "1f1a2b3c-0000-4000-8000-000000000001", InputKind::Id),
            (3, "adele.vance@contoso.com", InputKind::Upn),
            (4, "", InputKind::Blank),
            (
                5,
                "jane_fabrikam.com#EXT#@contoso.onmicrosoft.com",
                InputKind::Upn
            ),
        ]
    );
}

#[test]
fn broken_inputs_get_clear_errors() {
    let err = |name: &str| read_member_file(fixture(name)).unwrap_err();
    let e = err("empty.csv");
    assert!(matches!(e, ReadError::Empty), "{e}");
    assert!(e.to_string().contains("one member"));

    let e = err("header_only.csv");
    assert!(matches!(e, ReadError::NoMembers { .. }), "{e}");
    assert!(e.to_string().contains("the header and example rows"), "{e}");

    let e = err("image.png");
    assert!(matches!(e, ReadError::Binary), "{e}");
    assert!(e.to_string().contains("CSV UTF-8"));

    let e = err("utf16_no_bom.csv");
    assert!(matches!(e, ReadError::Utf16WithoutBom), "{e}");

    let e = err("not_a_workbook.xlsx");
    assert!(matches!(e, ReadError::Workbook { .. }), "{e}");

    let e = err("does-not-exist.csv");
    assert!(matches!(e, ReadError::Io { .. }), "{e}");
    assert!(e.to_string().contains("does-not-exist.csv"));
}

#[test]
fn a_file_written_by_the_writer_reads_back() {
    use roster_csv::{CsvWriter, WriterOptions};
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("members.csv");
    let mut w = CsvWriter::create(&dest, WriterOptions::default()).unwrap();
    w.write_record(["id", "displayName"]).unwrap();
    w.write_record(["1f1a2b3c-0000-4000-8000-000000000001", "Vance, Adele"])
        .unwrap();
    w.finish().unwrap();
    let f = read_member_file(&dest).unwrap();
    assert_eq!(f.column.index, 0);
    assert_eq!(
        values(&f),
        vec![(2, "1f1a2b3c-0000-4000-8000-000000000001", InputKind::Id)]
    );
}

#[test]
fn excel_sep_line_is_used_and_skipped() {
    let f =
        roster_csv::parse_member_file(b"sep=;\r\nName;UPN\r\nVance, Adele;adele@contoso.com\r\n")
            .unwrap();
    assert!(matches!(
        f.format,
        FileFormat::Csv {
            delimiter: InputDelimiter::Semicolon,
            ..
        }
    ));
    assert_eq!(f.header_line, Some(2));
    assert_eq!(values(&f), vec![(3, "adele@contoso.com", InputKind::Upn)]);
}
