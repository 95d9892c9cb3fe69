//! What the fuzz targets share.

use std::sync::Once;

/// Lets a panic raised inside calamine unwind instead of aborting the fuzzer: roster-csv runs
/// every calamine call under `catch_unwind` and turns such a panic into a workbook error (calamine
/// overflows on some malformed cell references), so it is not a crash of Roster. Any other panic,
/// and a calamine panic that roster-csv did not catch, still aborts and is reported. Call it at the
/// start of every input (it installs itself once, after libFuzzer's own hook).
pub fn let_calamine_panics_unwind() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|at| at.file().contains("/calamine-"));
            if !in_calamine {
                fuzzer_hook(info);
            }
        }));
    });
}
