//! The member file template admins fill in: the admin center's bulk add/remove members header
//! (graph-api.md §6.4; the current template starts with it, without a `version:v1.0` line) and two
//! example rows that the reader takes as members, not as the admin center's skipped `Example:`
//! row, so a template sent back unchanged previews as two rows that are not found.

use super::MembershipError;
use roster_csv::{CsvWriter, WriterOptions};
use std::path::{Path, PathBuf};

/// The admin center's bulk add/remove members template header.
pub const TEMPLATE_HEADER: &str =
    "Member object ID or user principal name [memberObjectIdOrUpn] Required";

/// The template's example rows: a user principal name and an object ID, one member per row
/// (the example domain `contoso.com`; the object ID is the admin center template's example).
pub const TEMPLATE_ROWS: [&str; 2] = [
    "adele.vance@contoso.com",
    "9832aad8-e4fe-496b-a604-95c6ef01ae75",
];

/// Writes the template to `path` with `options` (a byte order mark for Excel unless turned off),
/// through `path.part` renamed when complete: never a half-written file under its final name.
pub fn write_template(path: &Path, options: WriterOptions) -> Result<PathBuf, MembershipError> {
    let mut writer = CsvWriter::create(path, options)?;
    writer.write_record([TEMPLATE_HEADER])?;
    for row in TEMPLATE_ROWS {
        writer.write_record([row])?;
    }
    Ok(writer.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_csv::InputKind;

    #[test]
    fn the_importer_reads_the_template_as_its_two_example_members() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members-template.csv");
        std::fs::write(roster_csv::part_path(&path), b"stale").unwrap();
        let written = write_template(&path, WriterOptions::default()).unwrap();
        assert_eq!(written, path);
        assert!(!roster_csv::part_path(&path).exists(), "no .part left");
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");

        let file = roster_csv::read_member_file(&path).unwrap();
        assert_eq!(file.header_line, Some(1));
        assert_eq!(file.column.header.as_deref(), Some(TEMPLATE_HEADER));
        assert!(file.example_lines.is_empty(), "no row is skipped");
        let rows: Vec<(usize, &str, &InputKind)> = file
            .rows
            .iter()
            .map(|r| (r.line, r.value.as_str(), &r.kind))
            .collect();
        assert_eq!(
            rows,
            [
                (2, TEMPLATE_ROWS[0], &InputKind::Upn),
                (3, TEMPLATE_ROWS[1], &InputKind::Id),
            ]
        );
        assert!(file.rows.iter().all(|r| r.is_actionable()));
    }

    #[test]
    fn without_a_bom_when_the_settings_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let options = WriterOptions {
            bom: false,
            ..WriterOptions::default()
        };
        write_template(&path, options).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [TEMPLATE_HEADER, TEMPLATE_ROWS[0], TEMPLATE_ROWS[1]]
        );
    }
}
