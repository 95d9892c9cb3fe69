#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
//! Bench binary: time to append 100,000 row results (in 5,000-row batches) and page them back.
//! Run with `cargo bench -p roster-store --bench row_results`.

use roster_store::{JobKind, NewJob, RowResult, RowStatus, Store};
use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("bench.db")).unwrap();
    let job = store
        .create_job(&NewJob {
            kind: JobKind::AddMembers,
            name: "bench".into(),
            spec: serde_json::json!({}),
            output_path: None,
            exclusive: None,
        })
        .unwrap();
    let rows: Vec<RowResult> = (1..=100_000u64)
        .map(|n| RowResult {
            row_number: n,
            input: format!("user{n}@contoso.com"),
            object_id: Some(format!("00000000-0000-0000-0000-{n:012}")),
            display_name: Some(format!("User {n}")),
            status: RowStatus::Succeeded,
            reason: None,
        })
        .collect();
    let start = Instant::now();
    for batch in rows.chunks(5_000) {
        store.append_row_results(job.id, batch).unwrap();
    }
    let insert = start.elapsed();
    let start = Instant::now();
    let mut after = 0;
    let mut n = 0;
    while let Some(last) = store.row_results(job.id, after, 1_000).unwrap().last() {
        after = last.row_number;
        n += 1_000;
    }
    let read = start.elapsed();
    println!(
        "append 100000 row results: {insert:?}; page them back ({n} rows, 1000/page): {read:?}"
    );
}
