//! The member-file reader on raw bytes: CSV in any encoding, or a workbook (`roster members
//! add/remove`, the desktop import preview).
#![no_main]

use libfuzzer_sys::fuzz_target;
use roster_csv::reader::MAX_ROWS;

fuzz_target!(|data: &[u8]| {
    roster_fuzz::let_calamine_panics_unwind();
    let Ok(file) = roster_csv::parse_member_file(data) else {
        return;
    };
    let counts = file.counts();
    assert_eq!(
        counts.actionable + counts.blank + counts.duplicates + counts.invalid,
        file.rows.len()
    );
    assert!(file.rows.len() <= MAX_ROWS);
    assert!(file.rows.windows(2).all(|w| w[0].line < w[1].line));
    for row in &file.rows {
        if let Some(first) = row.duplicate_of {
            assert!(first < row.line, "{row:?}");
        }
    }
});
