//! Graph collection pages to CSV cells: `PageReader` (the streaming reader every download uses)
//! on any body, for user, group and member columns; where the body is JSON, its cells must equal
//! what `render_row` gives for the same items (the reader's documented contract).
#![no_main]

use libfuzzer_sys::fuzz_target;
use roster_core::columns::{
    Column, PageReader, RowContext, group_catalogue, member_columns, parse_user_columns,
    render_row, user_catalogue,
};
use serde_json::Value;
use std::sync::OnceLock;

/// The columns `PageReader` takes, one reader per column family.
fn readers() -> &'static [(Vec<Column>, PageReader)] {
    static READERS: OnceLock<Vec<(Vec<Column>, PageReader)>> = OnceLock::new();
    READERS.get_or_init(|| {
        let streamable = |columns: Vec<Column>| -> Vec<Column> {
            columns
                .into_iter()
                .filter(|c| PageReader::new(std::slice::from_ref(c)).is_some())
                .collect()
        };
        let portal = parse_user_columns("portal").unwrap_or_default();
        [
            streamable(portal),
            streamable(user_catalogue()),
            streamable(group_catalogue()),
            member_columns(true),
        ]
        .into_iter()
        .filter_map(|columns| PageReader::new(&columns).map(|reader| (columns, reader)))
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let ctx = RowContext {
        group_id: Some("g0"),
        group_name: Some("All staff"),
        nesting_path: Some("All staff > Sales"),
        member_count: Some(3),
        auth_methods: None,
    };
    let parsed: Option<Value> = serde_json::from_slice(data).ok();
    for (columns, reader) in readers() {
        let mut got: Vec<Vec<String>> = Vec::new();
        let read = reader.read_collection(data, &ctx, |cells| {
            got.push(cells.iter().map(|c| c.to_string()).collect());
            Ok::<(), ()>(())
        });
        let Ok(read) = read else {
            continue;
        };
        assert_eq!(read.rows as usize, got.len());
        let Some(items) = parsed
            .as_ref()
            .and_then(|v| v.get("value"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        let expected: Vec<Vec<String>> = items
            .iter()
            .map(|item| render_row(columns, item, &ctx))
            .collect();
        assert_eq!(got, expected);
    }
});
