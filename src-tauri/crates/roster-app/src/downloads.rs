//! Where a download's file goes when the person named only a folder.

use std::path::{Path, PathBuf};

/// `NAME.csv` in `folder`, or `NAME-2.csv`, `NAME-3.csv`... when that name (or its partial file) is
/// taken, so a new download never overwrites an earlier one.
pub fn free_file_name(folder: &Path, name: &str) -> PathBuf {
    let mut candidate = folder.join(format!("{name}.csv"));
    let mut n = 2;
    while candidate.exists() || roster_csv::part_path(&candidate).exists() {
        candidate = folder.join(format!("{name}-{n}.csv"));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_names_get_a_number() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            free_file_name(dir.path(), "users"),
            dir.path().join("users.csv")
        );
        std::fs::write(dir.path().join("users.csv"), "x").unwrap();
        std::fs::write(dir.path().join("users-2.csv.part"), "x").unwrap();
        assert_eq!(
            free_file_name(dir.path(), "users"),
            dir.path().join("users-3.csv")
        );
    }
}
