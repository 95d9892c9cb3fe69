//! Per-column statistics (filled, distinct, top values) and, for users and members files, the
//! figures admins look for: members and guests, enabled and blocked, departments, countries,
//! sign-in age, members per group. All of it is counting codes, so it costs one pass per column.

use crate::kind::{self, FileKind};
use crate::table::{Column, Table};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::borrow::Cow;
use std::path::Path;

/// One column's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnStats {
    /// The header.
    pub name: String,
    /// Rows with a value.
    pub filled: u64,
    /// Distinct non-empty values.
    pub distinct: u64,
    /// The most frequent non-empty values with their counts, most frequent first (ties by value).
    pub top: Vec<(String, u64)>,
}

/// A file's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Data rows.
    pub rows: u64,
    /// Per column, in file order.
    pub columns: Vec<ColumnStats>,
}

/// Counts per distinct code of a column (index = code; a table holds at most `u32::MAX` rows).
pub fn code_counts(column: &Column) -> Cow<'_, [u32]> {
    if let Some(counts) = &column.counts {
        return Cow::Borrowed(counts);
    }
    let mut counts = vec![0u32; column.dictionary.len()];
    for &code in &column.codes {
        counts[code as usize] += 1;
    }
    Cow::Owned(counts)
}

/// The `n` most frequent non-empty values of `counts`, most frequent first, ties by value.
///
/// One pass keeping the best `n` so far in a heap whose top is the worst of them: most codes lose
/// on their count alone, so the text of a column of unique ids is compared only against that one
/// worst value, not sorted.
pub fn top_values(column: &Column, counts: &[u32], n: usize) -> Vec<(String, u64)> {
    let dictionary = &column.dictionary;
    let mut best: std::collections::BinaryHeap<Ranked<'_>> =
        std::collections::BinaryHeap::with_capacity(n.min(counts.len()) + 1);
    for (code, &count) in counts.iter().enumerate().skip(1) {
        if count == 0 || n == 0 {
            continue;
        }
        if best.len() == n && best.peek().is_some_and(|worst| count < worst.count) {
            continue;
        }
        let candidate = Ranked {
            count,
            value: dictionary.get(code as u32),
        };
        if best.len() < n {
            best.push(candidate);
        } else if best.peek().is_some_and(|worst| candidate < *worst) {
            best.pop();
            best.push(candidate);
        }
    }
    best.into_sorted_vec()
        .into_iter()
        .map(|r| (r.value.to_owned(), u64::from(r.count)))
        .collect()
}

/// A value with its count, ordered best first: more frequent, then smaller value.
#[derive(PartialEq, Eq)]
struct Ranked<'a> {
    count: u32,
    value: &'a str,
}

impl Ord for Ranked<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .count
            .cmp(&self.count)
            .then_with(|| self.value.cmp(other.value))
    }
}

impl PartialOrd for Ranked<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// One column's figures with its `top` most frequent values.
pub fn column_stats(column: &Column, top: usize) -> ColumnStats {
    let counts = code_counts(column);
    let filled = counts.iter().skip(1).map(|&n| u64::from(n)).sum();
    let distinct = counts.iter().skip(1).filter(|&&n| n > 0).count() as u64;
    ColumnStats {
        name: column.name.clone(),
        filled,
        distinct,
        top: top_values(column, &counts, top),
    }
}

/// The figures of the file at `path` (`roster review stats`), read for them alone: no code per
/// row is kept, each column counts its values as it is read.
pub fn file_stats(path: &Path, top: usize) -> Result<Stats, crate::error::ReviewError> {
    Ok(stats(&Table::open_counted(path)?, top))
}

/// Every column's figures, the columns shared between two threads.
pub fn stats(table: &Table, top: usize) -> Stats {
    let half = table.columns.len().div_ceil(2);
    let (first, second) = table.columns.split_at(half);
    let (mut columns, rest) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            second
                .iter()
                .map(|c| column_stats(c, top))
                .collect::<Vec<_>>()
        });
        let mine: Vec<ColumnStats> = first.iter().map(|c| column_stats(c, top)).collect();
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (mine, theirs)
    });
    columns.extend(rest);
    Stats {
        rows: table.rows() as u64,
        columns,
    }
}

/// A labelled count for a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bar {
    /// What is counted ("Member", "Sales", "31-90 days"); `(empty)` is an empty cell.
    pub label: String,
    /// How many rows.
    pub count: u64,
}

/// A chart: what it shows, from which column, and its bars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Chart {
    /// Stable id (`userType`, `accountEnabled`, `department`, `country`, `signInAge`,
    /// `membersPerGroup`): the UI's title key.
    pub id: String,
    /// The column it counts.
    pub column: String,
    /// The bars, largest first (age buckets in age order).
    pub bars: Vec<Bar>,
}

const EMPTY_LABEL: &str = "(empty)";

/// The charts for a users or members file: only those whose column the file has.
pub fn charts(table: &Table, now: DateTime<Utc>) -> Vec<Chart> {
    let headers = table.headers();
    let mut out = Vec::new();
    let mut value_chart = |id: &str, names: &[&str], n: usize| {
        if let Some(i) = kind::find(&headers, names) {
            out.push(value_bars(id, &table.columns[i], n));
        }
    };
    match table.kind {
        FileKind::Users => {
            value_chart("userType", &["usertype"], 5);
            value_chart("accountEnabled", &["accountenabled"], 5);
            value_chart("department", &["department"], 12);
            value_chart("country", &["country", "usagelocation"], 12);
            let sign_in = [
                "lastsignindatetime",
                "signinactivitylastsignindatetime",
                "lastsignin",
                "lastinteractivesignin",
                "lastsuccessfulsignindatetime",
            ];
            if let Some(i) = kind::find(&headers, &sign_in) {
                out.push(age_chart(&table.columns[i], now));
            }
        }
        FileKind::Members => {
            let names = ["groupname", "groupdisplayname", "groupid"];
            value_chart("membersPerGroup", &names, 20);
            value_chart("memberType", &["membertype", "memberobjecttype"], 6);
        }
        FileKind::Groups => {
            value_chart("groupType", &["grouptype"], 6);
            value_chart("membershipType", &["membershiptype"], 4);
        }
        FileKind::Other => {}
    }
    out
}

fn value_bars(id: &str, column: &Column, n: usize) -> Chart {
    let counts = code_counts(column);
    let mut bars: Vec<Bar> = top_values(column, &counts, n)
        .into_iter()
        .map(|(label, count)| Bar { label, count })
        .collect();
    let shown: u64 = bars.iter().map(|b| b.count).sum::<u64>() + u64::from(counts[0]);
    let rest = column.codes.len() as u64 - shown;
    if rest > 0 {
        bars.push(Bar {
            label: "(other)".to_owned(),
            count: rest,
        });
    }
    if counts[0] > 0 {
        bars.push(Bar {
            label: EMPTY_LABEL.to_owned(),
            count: u64::from(counts[0]),
        });
    }
    Chart {
        id: id.to_owned(),
        column: column.name.clone(),
        bars,
    }
}

/// Sign-in age buckets; an empty cell is "never signed in" (Graph leaves `lastSignInDateTime`
/// null for accounts that never signed in, and for sign-ins before April 2020).
pub const AGE_BUCKETS: [&str; 7] = [
    "0-7 days",
    "8-30 days",
    "31-90 days",
    "91-180 days",
    "181-365 days",
    "over 365 days",
    "never",
];

fn age_chart(column: &Column, now: DateTime<Utc>) -> Chart {
    let counts = code_counts(column);
    let mut buckets = [0u64; AGE_BUCKETS.len()];
    let mut unreadable = 0;
    for (code, value) in column.dictionary.values() {
        let n = u64::from(counts[code as usize]);
        if n == 0 {
            continue;
        }
        let bucket = match parse_instant(value) {
            None if value.trim().is_empty() => 6,
            None => {
                unreadable += n;
                continue;
            }
            Some(at) => match (now - at).num_days() {
                ..=7 => 0,
                8..=30 => 1,
                31..=90 => 2,
                91..=180 => 3,
                181..=365 => 4,
                _ => 5,
            },
        };
        buckets[bucket] += n;
    }
    let mut bars: Vec<Bar> = AGE_BUCKETS
        .iter()
        .zip(buckets)
        .map(|(label, count)| Bar {
            label: (*label).to_owned(),
            count,
        })
        .collect();
    if unreadable > 0 {
        bars.push(Bar {
            label: "not a date".to_owned(),
            count: unreadable,
        });
    }
    Chart {
        id: "signInAge".to_owned(),
        column: column.name.clone(),
        bars,
    }
}

/// An ISO 8601 instant or date as written by Graph, Roster or the admin center.
pub fn parse_instant(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    DateTime::parse_from_rfc3339(value)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::Dictionary;

    fn column(cells: &[&str]) -> Column {
        let mut dictionary = Dictionary::new();
        let codes = cells.iter().map(|c| dictionary.intern(c)).collect();
        Column::new("c".to_owned(), dictionary, codes)
    }

    #[test]
    fn top_values_are_most_frequent_first_then_by_value() {
        let c = column(&["b", "a", "", "c", "b", "d", "a", "b", "", "e"]);
        let counts = code_counts(&c);
        let top = |n| top_values(&c, &counts, n);
        let owned = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(s, n)| ((*s).to_owned(), *n)).collect()
        };
        assert_eq!(top(0), owned(&[]));
        assert_eq!(top(1), owned(&[("b", 3)]));
        assert_eq!(top(3), owned(&[("b", 3), ("a", 2), ("c", 1)]));
        assert_eq!(
            top(10),
            owned(&[("b", 3), ("a", 2), ("c", 1), ("d", 1), ("e", 1)]),
            "empty cells are never a top value"
        );
    }

    #[test]
    fn top_values_of_unique_cells_are_the_smallest() {
        let cells: Vec<String> = (0..5000).rev().map(|i| format!("id-{i:05}")).collect();
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let c = column(&refs);
        let top = top_values(&c, &code_counts(&c), 2);
        assert_eq!(
            top,
            [("id-00000".to_owned(), 1), ("id-00001".to_owned(), 1)]
        );
    }
}
