//! The review engine: a file is opened, peeked at, indexed twice (interned and raw, which must
//! agree cell for cell), summarised, and filtered and sorted by a query built from the input.
//!
//! Input: one byte N (taken modulo 32), N bytes that build the query, then the file's bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roster_review::view::{ColumnFilter, FilterTest, SortKey, ViewQuery, select};
use roster_review::{Columns, Index, Table, peek, stats};
use std::path::PathBuf;
use std::sync::OnceLock;

/// One file per fuzzing process, rewritten for every input.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("roster-fuzz-review-{}.csv", std::process::id()))
    })
}

/// A cell of the table picked by `byte`, for filter and search texts.
fn some_cell(table: &Table, byte: u8, column: usize) -> String {
    if table.rows() == 0 || table.columns.is_empty() {
        return String::new();
    }
    let row = byte as usize % table.rows();
    table
        .cell(row as u32, column % table.columns.len())
        .to_owned()
}

fn query(bytes: &[u8], table: &Table) -> ViewQuery {
    let width = table.columns.len().max(1);
    let mut query = ViewQuery::default();
    for pair in bytes.chunks(2) {
        let (op, arg) = (pair[0], pair.get(1).copied().unwrap_or(0));
        let column = arg as usize % (width + 1);
        let text = some_cell(table, op.rotate_left(3), column);
        match op % 8 {
            0 => query.search = Some(text),
            1 => {
                query.sort = Some(SortKey {
                    column,
                    descending: op & 0x80 != 0,
                })
            }
            2 => query
                .filters
                .push(filter(column, FilterTest::Contains(text))),
            3 => query.filters.push(filter(column, FilterTest::Equals(text))),
            4 => query.filters.push(filter(column, FilterTest::Empty)),
            5 => query.filters.push(filter(column, FilterTest::NotEmpty)),
            6 => query
                .filters
                .push(filter(column, FilterTest::OneOf(vec![text]))),
            _ => query.search = Some(String::from_utf8_lossy(&[op, arg]).into_owned()),
        }
    }
    query
}

fn filter(column: usize, test: FilterTest) -> ColumnFilter {
    ColumnFilter { column, test }
}

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = (n as usize % 32).min(rest.len());
    let (query_bytes, file) = rest.split_at(n);
    let path = scratch();
    if std::fs::write(path, file).is_err() {
        return;
    }
    if let Ok(peeked) = peek(path, 5) {
        assert!(peeked.rows.len() <= 5);
        assert!(peeked.rows.iter().all(|r| r.len() == peeked.headers.len()));
    }
    let Ok(table) = Table::open(path) else {
        return;
    };
    if let Ok(raw) = Table::open_with(path, &Columns::All, Index::Raw) {
        assert_eq!(raw.rows(), table.rows());
        assert_eq!(raw.headers(), table.headers());
        for row in 0..table.rows() as u32 {
            for column in 0..table.columns.len() {
                assert_eq!(raw.cell(row, column), table.cell(row, column));
            }
        }
    }
    for column in &table.columns {
        let figures = stats::column_stats(column, 5);
        drop(figures);
    }
    let query = query(query_bytes, &table);
    let rows = select(&table, &query);
    assert!(rows.len() <= table.rows());
    assert!(rows.iter().all(|&r| (r as usize) < table.rows()));
});
