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
    if let Some(t) = fast_timestamp(s.as_bytes()) {
        return Some(t);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_micros());
    }
    let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros())
}

fn digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The common stored shapes `YYYY-MM-DDTHH:MM:SS[.fffffff](Z|±HH:MM)` without chrono's general parser.
fn fast_timestamp(b: &[u8]) -> Option<i64> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, sec) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut micros = 0i64;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 6 {
                micros = micros * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..6 {
            micros *= 10;
        }
    }
    let offset_secs = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh @ .., b':', m1, m2] if oh.len() == 2 => {
            let v = digits(oh)? * 3600 + digits(&[*m1, *m2])? * 60;
            if *sign == b'+' { v } else { -v }
        }
        _ => return None,
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset_secs;
    Some(secs * 1_000_000 + micros)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_timestamp_agrees_with_chrono() {
        for s in [
            "2024-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.9999999Z",
            "2023-05-01T10:00:00.5Z",
            "2022-01-15T09:00:00+01:00",
            "2022-01-15T09:00:00-05:30",
            "1999-12-31T23:59:59.123456Z",
        ] {
            let chrono = chrono::DateTime::parse_from_rfc3339(s)
                .map(|d| d.timestamp_micros())
                .ok();
            assert_eq!(fast_timestamp(s.as_bytes()), chrono, "{s}");
        }
    }

    #[test]
    fn timestamps_fall_back_for_dates_and_reject_garbage() {
        assert_eq!(
            parse_timestamp("2024-01-01"),
            parse_timestamp("2024-01-01T00:00:00Z")
        );
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2024-13-01T00:00:00Z"), None);
    }

    #[test]
    fn case_insensitive_helpers() {
        assert!(ci_eq("Ädele", "ädele"));
        assert!(ci_starts_with("ÉLODIE", "élo"));
        assert!(ci_ends_with("Straße", "straße"));
        assert!(!ci_starts_with("ab", "abc"));
        assert_eq!(ci_cmp("B", "a"), Ordering::Greater);
        assert_eq!(ci_cmp_both("alpha", "ALPHA"), Ordering::Equal);
    }
}
