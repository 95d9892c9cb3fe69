#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
//! Bench binary: render and write 100,000 users with the 26 portal columns, then read a
//! 100,000-row member file. Run with `cargo bench -p roster-csv --bench throughput`.

use roster_core::columns::{RowContext, portal_user_columns, render_row};
use roster_csv::{CsvWriter, WriterOptions, read_member_file};
use serde_json::json;
use std::time::Instant;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let columns = portal_user_columns();
    let users: Vec<serde_json::Value> = (0..100_000)
        .map(|i| {
            json!({
                "id": format!("00000000-0000-4000-8000-{i:012}"),
                "userPrincipalName": format!("user{i}@contoso.com"),
                "displayName": format!("User, Number {i}"),
                "surname": "Number", "givenName": "User", "mail": format!("user{i}@contoso.com"),
                "userType": "Member", "jobTitle": "Engineer", "department": "R&D",
                "accountEnabled": i % 7 != 0, "usageLocation": "NL", "city": "Amsterdam",
                "businessPhones": ["+31 20 123 4567"], "mobilePhone": null,
                "otherMails": ["alt@example.org"], "officeLocation": "=A1"
            })
        })
        .collect();
    let dest = dir.path().join("users.csv");
    let start = Instant::now();
    let mut w = CsvWriter::create(&dest, WriterOptions::default()).unwrap();
    w.write_record(columns.iter().map(|c| c.header.as_ref()))
        .unwrap();
    for (i, user) in users.iter().enumerate() {
        w.write_record(render_row(&columns, user, &RowContext::default()))
            .unwrap();
        if i % 999 == 998 {
            w.checkpoint().unwrap();
        }
    }
    let bytes = w.bytes_written();
    w.finish().unwrap();
    let write = start.elapsed();
    println!(
        "render+write 100000 users x 26 columns ({:.1} MB, checkpoint every 999 rows): {write:?}",
        bytes as f64 / 1e6
    );

    let input = dir.path().join("members.csv");
    let mut text =
        String::from("Member object ID or user principal name [memberObjectIdOrUpn] Required\r\n");
    for i in 0..100_000 {
        text.push_str(&format!("user{i}@contoso.com\r\n"));
    }
    std::fs::write(&input, text).unwrap();
    let start = Instant::now();
    let file = read_member_file(&input).unwrap();
    println!(
        "read + classify a 100000-row member file: {:?} ({} actionable)",
        start.elapsed(),
        file.counts().actionable
    );
}
