//! Opening files as admins have them.

use roster_csv::reader::TextEncoding;
use roster_review::{FileKind, ReviewError, Table};
use std::path::PathBuf;

/// Writes `bytes` to a temporary file named `name`; the directory lives as long as the guard.
pub fn file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

const PORTAL_HEADER: &str = "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,telephoneNumber,mobile,authenticationPhoneNumber,authenticationAlternativePhoneNumber,authenticationEmail,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification";

/// The admin center's classic users download: UTF-8 with BOM, CRLF, the 26-column header.
pub fn admin_center_users() -> Vec<u8> {
    let mut text = format!("\u{feff}{PORTAL_HEADER}\r\n");
    text.push_str("ana@contoso.com,Ana Müller,Müller,ana@contoso.com,Ana,0a1b2c3d-0000-4000-8000-000000000001,Member,Engineer,Sales,True,NL,Straat 1,,Netherlands,HQ,Utrecht,3511,+31 30 000,+31 6 1,,,,ana.private@example.com,,,\r\n");
    text.push_str("bob@contoso.com,\"Bob, Jr.\",Jr.,,Bob,0a1b2c3d-0000-4000-8000-000000000002,Guest,,Sales,False,US,,WA,United States,,Seattle,00501,,,,,,,,,\r\n");
    text.into_bytes()
}

#[test]
fn admin_center_users_download_opens_as_users() {
    let (_d, path) = file("exportUsers_2026-12-7.csv", &admin_center_users());
    let t = Table::open(&path).unwrap();
    assert_eq!(t.detected.encoding, TextEncoding::Utf8Bom);
    assert_eq!(t.detected.delimiter, ',');
    assert_eq!(t.kind, FileKind::Users);
    assert_eq!((t.rows(), t.columns.len()), (2, 26));
    assert_eq!(t.cell(1, 1), "Bob, Jr.");
    assert_eq!(t.cell(0, 1), "Ana Müller");
    // Leading zeros and ids stay as written.
    assert_eq!(t.cell(1, 16), "00501");
    assert_eq!(t.cell(1, 5), "0a1b2c3d-0000-4000-8000-000000000002");
    assert!(t.notices.is_empty());
}

#[test]
fn powershell_export_csv_with_and_without_type_line() {
    // Windows PowerShell 5.1: #TYPE line, every field quoted, CRLF.
    let ps51 = "#TYPE System.Management.Automation.PSCustomObject\r\n\"Id\",\"DisplayName\",\"UserPrincipalName\",\"AccountEnabled\"\r\n\"11111111-1111-1111-1111-111111111111\",\"Ana\",\"ana@contoso.com\",\"True\"\r\n\"22222222-2222-2222-2222-222222222222\",\"Bob \"\"B\"\"\",\"bob@contoso.com\",\"False\"\r\n";
    let (_d, path) = file("ps51.csv", ps51.as_bytes());
    let t = Table::open(&path).unwrap();
    assert_eq!(t.detected.preamble.len(), 1);
    assert!(t.detected.preamble[0].starts_with("#TYPE"));
    assert_eq!(
        t.headers(),
        ["Id", "DisplayName", "UserPrincipalName", "AccountEnabled"]
    );
    assert_eq!(t.kind, FileKind::Users);
    assert_eq!(t.rows(), 2);
    assert_eq!(t.cell(1, 1), "Bob \"B\"");
    // PowerShell 7: no #TYPE line, UTF-8 without BOM, LF.
    let ps7 = "\"Id\",\"DisplayName\",\"UserPrincipalName\"\n\"1\",\"Zoë\",\"zoe@contoso.com\"\n";
    let (_d2, path) = file("ps7.csv", ps7.as_bytes());
    let t = Table::open(&path).unwrap();
    assert_eq!(t.detected.encoding, TextEncoding::Utf8);
    assert!(t.detected.preamble.is_empty());
    assert_eq!(t.cell(0, 1), "Zoë");
}

#[test]
fn dutch_excel_resaves_semicolons_crlf_windows_1252_and_utf8_bom() {
    // "CSV (gescheiden door lijstscheidingsteken)": Windows-1252, `;`, CRLF.
    let mut ansi = b"userPrincipalName;displayName;department\r\n".to_vec();
    ansi.extend_from_slice(b"jose@contoso.com;Jos\xe9 Garc\xeda;Verkoop\r\n");
    ansi.extend_from_slice(b"an@contoso.com;\"An; de Vries\";Inkoop\r\n");
    let (_d, path) = file("gebruikers.csv", &ansi);
    let t = Table::open(&path).unwrap();
    assert_eq!(t.detected.encoding, TextEncoding::Windows1252);
    assert_eq!(t.detected.delimiter, ';');
    assert_eq!(t.cell(0, 1), "José García");
    assert_eq!(t.cell(1, 1), "An; de Vries");
    // "CSV UTF-8 (door komma's gescheiden)" in Dutch Excel still uses `;`, with a BOM.
    let utf8 = "\u{feff}userPrincipalName;displayName\r\nzoe@contoso.com;Zoë Ünal\r\n";
    let (_d2, path) = file("utf8.csv", utf8.as_bytes());
    let t = Table::open(&path).unwrap();
    assert_eq!(
        (t.detected.encoding, t.detected.delimiter),
        (TextEncoding::Utf8Bom, ';')
    );
    assert_eq!(t.cell(0, 1), "Zoë Ünal");
    // Excel's `sep=;` line names the delimiter and is not a header.
    let sep = "sep=;\r\nuserPrincipalName;department\r\na@contoso.com;Sales, EMEA\r\n";
    let (_d3, path) = file("sep.csv", sep.as_bytes());
    let t = Table::open(&path).unwrap();
    assert_eq!(t.headers(), ["userPrincipalName", "department"]);
    assert_eq!(t.cell(0, 1), "Sales, EMEA");
}

#[test]
fn a_late_non_utf8_byte_switches_to_windows_1252() {
    // The first 64 KiB are ASCII, a Windows-1252 byte comes later.
    let mut bytes = b"userPrincipalName,displayName\n".to_vec();
    for i in 0..3000 {
        bytes.extend_from_slice(format!("user{i}@contoso.com,User {i}\n").as_bytes());
    }
    bytes.extend_from_slice(b"late@contoso.com,Ren\xe9e\n");
    let (_d, path) = file("late.csv", &bytes);
    let t = Table::open(&path).unwrap();
    assert_eq!(t.detected.encoding, TextEncoding::Windows1252);
    assert_eq!(t.rows(), 3001);
    assert_eq!(t.cell(3000, 1), "Renée");
}

#[test]
fn utf16_with_bom_tab_separated() {
    let text = "userPrincipalName\tdisplayName\r\nkim@contoso.com\t김민준\r\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (_d, path) = file("unicode.txt", &le);
    let t = Table::open(&path).unwrap();
    assert_eq!(t.detected.encoding, TextEncoding::Utf16Le);
    assert_eq!(t.detected.delimiter, '\t');
    assert_eq!(t.cell(0, 1), "김민준");
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let (_d2, path) = file("unicode-be.txt", &be);
    assert_eq!(Table::open(&path).unwrap().cell(0, 1), "김민준");
}

#[test]
fn cells_with_line_breaks_and_ragged_rows_are_kept_and_reported() {
    let text =
        "id,displayName,department\n1,\"Line one\nline two\",Sales\n2,Bob\n3,Cy,HR,extra\n4,Di,\n";
    let (_d, path) = file("ragged.csv", text.as_bytes());
    let t = Table::open(&path).unwrap();
    assert_eq!(t.rows(), 4, "no row is dropped");
    assert_eq!(t.cell(0, 1), "Line one\nline two");
    assert_eq!(t.cell(1, 2), "", "the missing cell is empty");
    let codes: Vec<&str> = t.notices.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["review.notice.shortRows", "review.notice.longRows"]);
    assert_eq!(t.notices[0].params["lines"], "4");
    assert_eq!(t.notices[1].params["lines"], "5");
}

#[test]
fn a_truncated_file_opens_with_a_notice() {
    let full = String::from_utf8(admin_center_users()).unwrap();
    let cut = &full[..full.len() - 40];
    let (_d, path) = file("cut.csv", cut.as_bytes());
    let t = Table::open(&path).unwrap();
    assert_eq!(t.rows(), 2);
    assert_eq!(t.notices[0].code, "review.notice.shortRows");
}

#[test]
fn repeated_and_blank_headers_get_names() {
    let (_d, path) = file("h.csv", b"id,,id\n1,2,3\n");
    let t = Table::open(&path).unwrap();
    assert_eq!(t.headers(), ["id", "column 2", "id (2)"]);
}

#[test]
fn hostile_and_wrong_files_are_refused_with_a_reason() {
    let (_d, png) = file("x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01");
    assert!(matches!(Table::open(&png), Err(ReviewError::Binary)));
    let (_d2, xlsx) = file("x.xlsx", b"PK\x03\x04\x14\0\x06\0rest of a zip");
    let err = Table::open(&xlsx).err().unwrap();
    assert!(matches!(err, ReviewError::Workbook));
    assert!(err.to_string().contains("save it as CSV"));
    let (_d3, empty) = file("empty.csv", b"");
    assert!(matches!(Table::open(&empty), Err(ReviewError::Empty)));
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Table::open(dir.path()),
        Err(ReviewError::NotAFile { .. })
    ));
    let missing = dir.path().join("missing.csv");
    let err = Table::open(&missing).err().unwrap();
    assert_eq!(err.text().code, "review.error.open");
    let (_d4, ctrl) = file("ctrl.csv", b"a,b\n\x01\x02\x03\x04\x05\x06,\xff\n");
    assert!(matches!(Table::open(&ctrl), Err(ReviewError::Binary)));
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(matches!(
        Table::open(&fifo),
        Err(ReviewError::NotAFile { .. })
    ));
}
