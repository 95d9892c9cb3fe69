//! What tests read back from disk: CSV files Roster wrote, and everything in a data dir (to prove no
//! secret reached it).

use std::path::Path;

/// The text of every file under `dir`, recursively, concatenated (bytes that are not UTF-8 replaced).
pub fn files_text(dir: &Path) -> String {
    let mut text = String::new();
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            text.push_str(&files_text(&path));
        } else {
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

/// The records of a CSV file Roster wrote (UTF-8 with a BOM, which is asserted and stripped), header
/// row first, as rows of cells.
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = String::from_utf8(bytes).expect("the CSV is UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("the CSV starts with a BOM, for Excel");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

/// The index of `header` in the first row of `rows`.
pub fn column(rows: &[Vec<String>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column '{header}' in {:?}", rows[0]))
}
