//! A view of a table: the rows that pass the column filters and the global search, in the order
//! of a sort column. Filters are decided once per distinct value, then rows are picked by code,
//! so a filter on a million rows costs one pass over integers.

use crate::table::{Column, Table};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// What one column filter keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "test", content = "value")]
pub enum FilterTest {
    /// Cells containing the text, ignoring case.
    Contains(String),
    /// Cells equal to the text, ignoring case.
    Equals(String),
    /// Empty cells.
    Empty,
    /// Cells with a value.
    NotEmpty,
    /// Cells whose value is one of these, exactly (the value list).
    OneOf(Vec<String>),
}

/// A filter on one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnFilter {
    /// The column's position.
    pub column: usize,
    /// What passes.
    pub test: FilterTest,
}

/// The sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SortKey {
    /// The column's position.
    pub column: usize,
    /// Largest first.
    pub descending: bool,
}

/// Which rows, in which order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewQuery {
    /// Every filter must pass (AND).
    #[serde(default)]
    pub filters: Vec<ColumnFilter>,
    /// Rows with this text in any cell, ignoring case.
    #[serde(default)]
    pub search: Option<String>,
    /// The order; file order when absent (ties keep file order too).
    #[serde(default)]
    pub sort: Option<SortKey>,
}

/// The rows of `table` that `query` selects, in its order.
pub fn select(table: &Table, query: &ViewQuery) -> Vec<u32> {
    let rows = table.rows() as u32;
    let tests: Vec<(&Column, Vec<bool>)> = query
        .filters
        .iter()
        .filter_map(|f| {
            let column = table.columns.get(f.column)?;
            Some((column, passing_codes(column, &f.test)))
        })
        .collect();
    let search: Option<Vec<(&Column, Vec<bool>)>> = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|needle| {
            let needle = needle.to_lowercase();
            table
                .columns
                .iter()
                .map(|c| (c, codes_where(c, |v| contains_folded(v, &needle))))
                .collect()
        });
    let mut selected: Vec<u32> = (0..rows)
        .filter(|&row| {
            let r = row as usize;
            tests.iter().all(|(c, pass)| pass[c.codes[r] as usize])
                && search
                    .as_ref()
                    .is_none_or(|cols| cols.iter().any(|(c, pass)| pass[c.codes[r] as usize]))
        })
        .collect();
    if let Some(key) = query.sort
        && let Some(column) = table.columns.get(key.column)
    {
        let rank = column.ranks();
        if key.descending {
            selected.sort_by_key(|&r| std::cmp::Reverse(rank[column.codes[r as usize] as usize]));
        } else {
            selected.sort_by_key(|&r| rank[column.codes[r as usize] as usize]);
        }
    }
    selected
}

fn passing_codes(column: &Column, test: &FilterTest) -> Vec<bool> {
    match test {
        FilterTest::Contains(text) => {
            let needle = text.to_lowercase();
            codes_where(column, |v| contains_folded(v, &needle))
        }
        FilterTest::Equals(text) => {
            let wanted = text.to_lowercase();
            codes_where(column, |v| eq_folded(v, &wanted))
        }
        FilterTest::Empty => codes_where(column, str::is_empty),
        FilterTest::NotEmpty => codes_where(column, |v| !v.is_empty()),
        FilterTest::OneOf(values) => codes_where(column, |v| values.iter().any(|w| w == v)),
    }
}

fn codes_where(column: &Column, test: impl Fn(&str) -> bool) -> Vec<bool> {
    column.dictionary.values().map(|(_, v)| test(v)).collect()
}

/// `haystack` contains `needle` (already lower case), ignoring case; no allocation for ASCII.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        return h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle)
}

/// `value` equals `wanted` (already lower case), ignoring case.
pub fn eq_folded(value: &str, wanted: &str) -> bool {
    if value.is_ascii() {
        value.eq_ignore_ascii_case(wanted)
    } else {
        value.to_lowercase() == wanted
    }
}

/// How two cells order: numbers first, by value; then text ignoring case, then exact text;
/// empty cells last. A total order, so any column sorts (mixed ones too).
pub fn compare_cells(a: &str, b: &str) -> Ordering {
    let class = |s: &str| {
        if s.is_empty() {
            (2, None)
        } else {
            match s.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => (0, Some(n)),
                _ => (1, None),
            }
        }
    };
    let ((ca, na), (cb, nb)) = (class(a), class(b));
    ca.cmp(&cb).then_with(|| match (na, nb) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.cmp(b)),
        _ => caseless_cmp(a, b).then_with(|| a.cmp(b)),
    })
}

/// Each code's position in the order of [`compare_cells`] (computed with one key per distinct
/// value, not by parsing during the sort).
pub fn rank_codes(dictionary: &crate::dictionary::Dictionary) -> Vec<u32> {
    struct Key<'a> {
        class: u8,
        number: f64,
        folded: std::borrow::Cow<'a, str>,
        text: &'a str,
    }
    let keys: Vec<Key<'_>> = dictionary
        .values()
        .map(|(_, text)| {
            let number = text.trim().parse::<f64>().ok().filter(|n| n.is_finite());
            let class = if text.is_empty() {
                2
            } else if number.is_some() {
                0
            } else {
                1
            };
            let folded = if text
                .bytes()
                .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
            {
                std::borrow::Cow::Owned(text.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(text)
            };
            Key {
                class,
                number: number.unwrap_or(0.0),
                folded,
                text,
            }
        })
        .collect();
    let mut codes: Vec<u32> = (0..keys.len() as u32).collect();
    codes.sort_unstable_by(|&a, &b| {
        let (x, y) = (&keys[a as usize], &keys[b as usize]);
        x.class
            .cmp(&y.class)
            .then_with(|| x.number.total_cmp(&y.number))
            .then_with(|| x.folded.cmp(&y.folded))
            .then_with(|| x.text.cmp(y.text))
    });
    let mut ranks = vec![0u32; codes.len()];
    for (rank, code) in codes.into_iter().enumerate() {
        ranks[code as usize] = rank as u32;
    }
    ranks
}

fn caseless_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        let (x, y) = (a.as_bytes(), b.as_bytes());
        for (p, q) in x.iter().zip(y) {
            match p.to_ascii_lowercase().cmp(&q.to_ascii_lowercase()) {
                Ordering::Equal => {}
                other => return other,
            }
        }
        return x.len().cmp(&y.len());
    }
    a.to_lowercase().cmp(&b.to_lowercase())
}

/// The cells of `rows` (positions in the view) for `columns`.
pub fn cells(table: &Table, rows: &[u32], columns: &[usize]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|&r| {
            columns
                .iter()
                .filter_map(|&c| table.columns.get(c))
                .map(|c| c.cell(r).to_owned())
                .collect()
        })
        .collect()
}

/// Rows as tab-separated text with a header line (what "copy rows" puts on the clipboard: it
/// pastes into Excel as cells). Tabs and line breaks inside a cell become spaces.
pub fn to_tsv(table: &Table, rows: &[u32], columns: &[usize]) -> String {
    let clean = |s: &str| s.replace(['\t', '\r', '\n'], " ");
    let mut out = String::new();
    let header: Vec<String> = columns
        .iter()
        .filter_map(|&c| table.columns.get(c))
        .map(|c| clean(&c.name))
        .collect();
    out.push_str(&header.join("\t"));
    out.push('\n');
    for row in cells(table, rows, columns) {
        let row: Vec<String> = row.iter().map(|c| clean(c)).collect();
        out.push_str(&row.join("\t"));
        out.push('\n');
    }
    out
}

/// The distinct values of a column among `rows`, with counts, most frequent first; only those
/// containing `containing` (ignoring case) when given; at most `limit`.
pub fn value_counts(
    column: &Column,
    rows: &[u32],
    containing: Option<&str>,
    limit: usize,
) -> Vec<(String, u64)> {
    let mut counts = vec![0u64; column.dictionary.len()];
    for &r in rows {
        counts[column.codes[r as usize] as usize] += 1;
    }
    let needle = containing.map(str::to_lowercase);
    let mut codes: Vec<u32> = (0..counts.len() as u32)
        .filter(|&c| counts[c as usize] > 0)
        .filter(|&c| {
            needle
                .as_deref()
                .is_none_or(|n| contains_folded(column.dictionary.get(c), n))
        })
        .collect();
    codes.sort_unstable_by(|a, b| {
        counts[*b as usize]
            .cmp(&counts[*a as usize])
            .then_with(|| column.dictionary.get(*a).cmp(column.dictionary.get(*b)))
    });
    codes.truncate(limit);
    codes
        .into_iter()
        .map(|c| (column.dictionary.get(c).to_owned(), counts[c as usize]))
        .collect()
}
