//! Allocation-free, case-insensitive string comparison (the directory compares strings without regard
//! to case) and timestamp parsing shared by `$filter`, `$search` and `$orderby`.

use std::cmp::Ordering;

/// Compares `value` with `lower`, which must already be lower-cased, ignoring the case of `value`.
pub(crate) fn ci_cmp(value: &str, lower: &str) -> Ordering {
    if value.is_ascii() {
        value
            .bytes()
            .map(|b| b.to_ascii_lowercase())
            .cmp(lower.bytes())
    } else {
        value
            .chars()
            .flat_map(char::to_lowercase)
            .cmp(lower.chars())
    }
}

/// Case-insensitive equality of `value` with the lower-cased `lower`.
pub(crate) fn ci_eq(value: &str, lower: &str) -> bool {
    if value.is_ascii() && lower.is_ascii() {
        value.len() == lower.len() && value.eq_ignore_ascii_case(lower)
    } else {
        ci_cmp(value, lower) == Ordering::Equal
    }
}

/// Whether `value` starts with the lower-cased `prefix`, ignoring case.
pub(crate) fn ci_starts_with(value: &str, prefix: &str) -> bool {
    if prefix.is_ascii() {
        let (v, p) = (value.as_bytes(), prefix.as_bytes());
        if v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p) {
            return true;
        }
        if value.is_ascii() {
            return false;
        }
    }
    let mut lowered = value.chars().flat_map(char::to_lowercase);
    prefix.chars().all(|c| lowered.next() == Some(c))
}

/// Whether `value` ends with the lower-cased `suffix`, ignoring case.
pub(crate) fn ci_ends_with(value: &str, suffix: &str) -> bool {
    if value.is_ascii() && suffix.is_ascii() {
        let (v, s) = (value.as_bytes(), suffix.as_bytes());
        return v.len() >= s.len() && v[v.len() - s.len()..].eq_ignore_ascii_case(s);
    }
    value.to_lowercase().ends_with(suffix)
}

/// Case-insensitive comparison of two stored strings (for `$orderby`).
pub(crate) fn ci_cmp_both(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    }
}

/// Parses an `Edm.DateTimeOffset` (RFC 3339, e.g. `2024-01-01T00:00:00Z`) or an `Edm.Date`
/// (`2024-01-01`, midnight UTC) to microseconds since the Unix epoch.
pub(crate) fn parse_timestamp(s: &str) -> Option<i64> {
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_micros());
    }
    let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros())
}
