//! Statistics, views and exports, against hand-computed answers.

use crate::files::{admin_center_users, file};
use roster_csv::WriterOptions;
use roster_review::Table;
use roster_review::stats;
use roster_review::view::{self, ColumnFilter, FilterTest, SortKey, ViewQuery};

const USERS: &str = "objectId,userPrincipalName,displayName,userType,accountEnabled,department,lastSignInDateTime,employeeId\n\
1,ana@x,Ana,Member,True,Sales,2026-12-01T10:00:00Z,10\n\
2,bob@x,Bob,Guest,False,,2026-01-01T00:00:00Z,9\n\
3,cy@x,Cy,Member,True,Sales,,100\n\
4,di@x,Di,Member,True,HR,2026-11-20T00:00:00Z,\n\
5,ed@x,édith,Member,False,sales,2026-12-06,x\n";

fn users() -> (tempfile::TempDir, Table) {
    let (d, p) = file("users.csv", USERS.as_bytes());
    (d, Table::open(&p).unwrap())
}

#[test]
fn column_stats_count_filled_distinct_and_top_values() {
    let (_d, t) = users();
    let s = stats::stats(&t, 2);
    assert_eq!(s.rows, 5);
    let dept = &s.columns[5];
    assert_eq!(
        (dept.name.as_str(), dept.filled, dept.distinct),
        ("department", 4, 3)
    );
    assert_eq!(dept.top, [("Sales".to_owned(), 2), ("HR".to_owned(), 1)]);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json["columns"][5]["top"][0],
        serde_json::json!(["Sales", 2])
    );
    assert_eq!(json["rows"], 5);
}

#[test]
fn users_charts_count_types_states_and_sign_in_age() {
    let (_d, t) = users();
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z")
        .unwrap()
        .into();
    let charts = stats::charts(&t, now);
    let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["userType", "accountEnabled", "department", "signInAge"]
    );
    let age: Vec<(String, u64)> = charts[3]
        .bars
        .iter()
        .map(|b| (b.label.clone(), b.count))
        .collect();
    assert_eq!(age[0], ("0-7 days".to_owned(), 2));
    assert_eq!(age[1], ("8-30 days".to_owned(), 1));
    assert_eq!(age[5], ("over 365 days".to_owned(), 0));
    assert_eq!(age[4], ("181-365 days".to_owned(), 1));
    assert_eq!(age[6], ("never".to_owned(), 1));
    let enabled: Vec<(String, u64)> = charts[1]
        .bars
        .iter()
        .map(|b| (b.label.clone(), b.count))
        .collect();
    assert_eq!(enabled, [("True".to_owned(), 3), ("False".to_owned(), 2)]);
}

#[test]
fn filters_search_and_sorts() {
    let (_d, t) = users();
    let q = |filters: Vec<ColumnFilter>, search: Option<&str>, sort: Option<SortKey>| {
        view::select(
            &t,
            &ViewQuery {
                filters,
                search: search.map(str::to_owned),
                sort,
            },
        )
    };
    let f = |column, test| ColumnFilter { column, test };
    // contains and equals ignore case: "sales" matches Sales too.
    assert_eq!(
        q(vec![f(5, FilterTest::Equals("SALES".into()))], None, None),
        [0, 2, 4]
    );
    assert_eq!(
        q(vec![f(2, FilterTest::Contains("É".into()))], None, None),
        [4]
    );
    assert_eq!(q(vec![f(5, FilterTest::Empty)], None, None), [1]);
    assert_eq!(
        q(vec![f(6, FilterTest::NotEmpty)], None, None),
        [0, 1, 3, 4]
    );
    assert_eq!(
        q(
            vec![f(3, FilterTest::OneOf(vec!["Guest".into()]))],
            None,
            None
        ),
        [1]
    );
    // Filters AND together.
    let both = vec![
        f(5, FilterTest::Contains("sales".into())),
        f(4, FilterTest::Equals("true".into())),
    ];
    assert_eq!(q(both, None, None), [0, 2]);
    assert_eq!(q(vec![], Some("BOB"), None), [1]);
    // Numbers sort by value, then text; empty cells last; descending reverses.
    let by_emp = q(
        vec![],
        None,
        Some(SortKey {
            column: 7,
            descending: false,
        }),
    );
    assert_eq!(by_emp, [1, 0, 2, 4, 3]);
    let by_name = q(
        vec![],
        None,
        Some(SortKey {
            column: 2,
            descending: true,
        }),
    );
    assert_eq!(by_name, [4, 3, 2, 1, 0]);
}

#[test]
fn value_lists_count_within_the_view() {
    let (_d, t) = users();
    let all: Vec<u32> = (0..5).collect();
    let values = view::value_counts(&t.columns[5], &all, None, 10);
    assert_eq!(
        values,
        [
            ("Sales".into(), 2),
            ("".into(), 1),
            ("HR".into(), 1),
            ("sales".into(), 1)
        ]
    );
    let values = view::value_counts(&t.columns[5], &all, Some("SAL"), 10);
    assert_eq!(values.len(), 2);
}

#[test]
fn export_writes_the_view_and_copy_gives_tab_separated_rows() {
    let (_d, p) = file("portal.csv", &admin_center_users());
    let t = Table::open(&p).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("view.csv");
    let options = WriterOptions {
        bom: false,
        ..WriterOptions::default()
    };
    let written = roster_review::export::export(&t, &[1], &[5, 1, 16], &out, options).unwrap();
    assert_eq!(written, 1);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "objectId,displayName,postalCode\r\n0a1b2c3d-0000-4000-8000-000000000002,\"Bob, Jr.\",00501\r\n"
    );
    assert!(!dir.path().join("view.csv.part").exists());
    let tsv = view::to_tsv(&t, &[0], &[1, 9]);
    assert_eq!(tsv, "displayName\taccountEnabled\nAna Müller\tTrue\n");
    // A folder as the destination is refused, nothing written.
    assert!(roster_review::export::export(&t, &[0], &[0], dir.path(), options).is_err());
}

#[test]
fn large_mostly_distinct_columns_count_repeats_exactly() {
    // 10,000 rows, more than one batch: `mail` is distinct in the first batch (so its lookups are
    // deferred) and repeats later; `dept` has 7 values; `note` is raw text with quotes and breaks.
    let mut text = String::from("mail,dept,note\n");
    for i in 0..10_000 {
        let mail = if i < 6000 {
            format!("u{i}@x")
        } else {
            format!("u{}@x", i % 100)
        };
        text.push_str(&format!("{mail},D{},\"line {i}\nnext\"\n", i % 7));
    }
    let (_d, p) = file("big.csv", text.as_bytes());
    let t = Table::open(&p).unwrap();
    assert_eq!(t.rows(), 10_000);
    let s = stats::stats(&t, 3);
    assert_eq!((s.columns[0].filled, s.columns[0].distinct), (10_000, 6000));
    assert_eq!(s.columns[0].top[0], ("u0@x".to_owned(), 41));
    assert_eq!(s.columns[1].distinct, 7);
    assert_eq!(s.columns[2].distinct, 10_000);
    let rows = view::select(
        &t,
        &ViewQuery {
            filters: vec![ColumnFilter {
                column: 0,
                test: FilterTest::OneOf(vec!["u5@x".into()]),
            }],
            ..ViewQuery::default()
        },
    );
    assert_eq!(rows.len(), 41);
    assert_eq!(t.cell(9_999, 2), "line 9999\nnext");
}
