//! The files a membership job leaves: the per-row results CSV and the undo file (the admin
//! center's member template listing exactly the members this job changed).

use super::MembershipError;
use super::outcome::{MembershipOp, RowState};
use super::preview::Preview;
use super::template::TEMPLATE_HEADER;
use roster_csv::{CsvWriter, WriterOptions};
use std::path::{Path, PathBuf};

/// Columns of the results file.
pub const RESULT_HEADER: [&str; 8] = [
    "line",
    "input",
    "objectId",
    "objectType",
    "displayName",
    "userPrincipalName",
    "status",
    "reason",
];

/// Writes every row of `preview` with its object, status and reason to `path` (through
/// `path.part`, renamed when complete).
pub fn write_results(preview: &Preview, path: &Path) -> Result<PathBuf, MembershipError> {
    let mut writer = CsvWriter::create(path, WriterOptions::default())?;
    writer.write_record(RESULT_HEADER)?;
    for row in &preview.rows {
        let object = row.object.as_ref();
        let text = |f: fn(&super::ResolvedObject) -> Option<&str>| {
            object.and_then(f).unwrap_or("").to_owned()
        };
        let line = row.line.to_string();
        writer.write_record([
            line.as_str(),
            row.input.as_str(),
            &text(|o| Some(o.id.as_str())),
            &text(|o| Some(o.object_type.as_str())),
            &text(|o| o.display_name.as_deref()),
            &text(|o| o.user_principal_name.as_deref()),
            row.state.as_str(),
            row.reason.english.as_str(),
        ])?;
    }
    Ok(writer.finish()?)
}

/// Writes the undo file for `preview` (after apply): for an add job the members it added (to
/// feed to `remove`), for a remove job the members it removed (to feed to `add`). Object ids,
/// one per row, under the admin center template's header. `None` when nothing changed.
pub fn write_undo(preview: &Preview, path: &Path) -> Result<Option<PathBuf>, MembershipError> {
    let changed = RowState::done(preview.op);
    let ids: Vec<&str> = preview
        .rows
        .iter()
        .filter(|r| r.state == changed)
        .filter_map(|r| r.object.as_ref().map(|o| o.id.as_str()))
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let mut writer = CsvWriter::create(path, WriterOptions::default())?;
    writer.write_record([TEMPLATE_HEADER])?;
    for id in ids {
        writer.write_record([id])?;
    }
    Ok(Some(writer.finish()?))
}

/// The default undo path beside the results file: `results.csv` → `results.undo-remove.csv`.
pub fn undo_path(results: &Path, op: MembershipOp) -> PathBuf {
    let stem = results
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "members".into());
    results.with_file_name(format!("{stem}.undo-{}.csv", op.inverse().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_path_names_the_inverse_operation() {
        assert_eq!(
            undo_path(Path::new("/tmp/out/results.csv"), MembershipOp::Add),
            PathBuf::from("/tmp/out/results.undo-remove.csv")
        );
        assert_eq!(
            undo_path(Path::new("r.csv"), MembershipOp::Remove),
            PathBuf::from("r.undo-add.csv")
        );
    }
}
