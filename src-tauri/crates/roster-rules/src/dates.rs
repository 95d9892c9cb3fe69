//! Dates and durations: reading `2024-05-01` / `2024-05-01T08:00:00Z` (in a rule and in a file) and
//! ISO 8601 durations (`P1D`, `PT12H`, `P1Y2M`) for `system.now -plus …` / `-minus …`.

use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, TimeDelta, Utc};

/// Reads an ISO 8601 date or date and time. With an offset (`Z`, `+02:00`) it is that instant;
/// without one it is taken as UTC, and a date alone is midnight UTC. Surrounding spaces are ignored.
pub(crate) fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
}

/// An ISO 8601 duration: calendar months (years count 12), days (weeks count 7) and seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Duration {
    months: u32,
    days: i64,
    seconds: i64,
}

/// The largest number one duration component may carry: far beyond any hire date, small enough
/// that no sum overflows.
const MAX_COMPONENT: u64 = 1_000_000;

/// Reads an ISO 8601 duration such as `P1D`, `p2w`, `PT12H`, `P1Y2M3DT4H5M6S` (any case; the
/// components in this order, each a whole number).
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let upper = text.to_ascii_uppercase();
    let rest = upper.strip_prefix('P')?;
    let (date_part, time_part) = match rest.split_once('T') {
        Some((date, time)) if !time.is_empty() => (date, Some(time)),
        Some(_) => return None,
        None => (rest, None),
    };
    let date = components(date_part, &['Y', 'M', 'W', 'D'])?;
    let time = match time_part {
        Some(time) => components(time, &['H', 'M', 'S'])?,
        None => vec![0; 3],
    };
    if date_part.is_empty() && time_part.is_none() {
        return None;
    }
    let [years, months, weeks, days] = [date[0], date[1], date[2], date[3]];
    let [hours, minutes, seconds] = [time[0], time[1], time[2]];
    Some(Duration {
        months: u32::try_from(years * 12 + months).ok()?,
        days: i64::try_from(weeks * 7 + days).ok()?,
        seconds: i64::try_from(hours * 3600 + minutes * 60 + seconds).ok()?,
    })
}

/// Reads `12D3H`-style components with units from `units`, in that order, each at most once.
fn components(text: &str, units: &[char]) -> Option<Vec<u64>> {
    let mut values = vec![0; units.len()];
    let mut next_unit = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let index = units[next_unit..].iter().position(|&u| u == c)? + next_unit;
        let value: u64 = number.parse().ok()?;
        if value > MAX_COMPONENT {
            return None;
        }
        values[index] = value;
        next_unit = index + 1;
        number.clear();
    }
    number.is_empty().then_some(values)
}

/// `at` moved forward (`plus`) or back by `duration`; `None` when that leaves chrono's range.
pub(crate) fn shift(at: DateTime<Utc>, duration: Duration, plus: bool) -> Option<DateTime<Utc>> {
    let months = Months::new(duration.months);
    let delta = TimeDelta::try_days(duration.days)?
        .checked_add(&TimeDelta::try_seconds(duration.seconds)?)?;
    if plus {
        at.checked_add_months(months)?.checked_add_signed(delta)
    } else {
        at.checked_sub_months(months)?.checked_sub_signed(delta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
    }

    #[test]
    fn dates_read_with_and_without_time_and_offset() {
        assert_eq!(parse_date("2024-05-01"), Some(utc(2024, 5, 1, 0, 0, 0)));
        assert_eq!(
            parse_date("2024-05-01T08:30:00Z"),
            Some(utc(2024, 5, 1, 8, 30, 0))
        );
        assert_eq!(
            parse_date(" 2024-05-01T10:30:00+02:00 "),
            Some(utc(2024, 5, 1, 8, 30, 0))
        );
        assert_eq!(
            parse_date("2024-05-01T08:30:00.123"),
            parse_date("2024-05-01T08:30:00.123Z")
        );
        assert_eq!(
            parse_date("2024-05-01 08:30:00"),
            Some(utc(2024, 5, 1, 8, 30, 0))
        );
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-05-01T25:00:00Z",
            "1/5/2024",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_follow_iso_8601() {
        let d = |months, days, seconds| {
            Some(Duration {
                months,
                days,
                seconds,
            })
        };
        assert_eq!(parse_duration("P1D"), d(0, 1, 0));
        assert_eq!(parse_duration("p2w"), d(0, 14, 0));
        assert_eq!(parse_duration("PT12H"), d(0, 0, 43_200));
        assert_eq!(parse_duration("P1Y2M3DT4H5M6S"), d(14, 3, 14_706));
        assert_eq!(parse_duration("PT1M"), d(0, 0, 60));
        assert_eq!(parse_duration("P1M"), d(1, 0, 0));
        for bad in [
            "",
            "P",
            "PT",
            "1D",
            "P1",
            "P1D1Y",
            "P1DT",
            "P1.5D",
            "P1H",
            "P99999999999D",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn shifting_uses_calendar_months_and_days() {
        let now = utc(2024, 1, 31, 12, 0, 0);
        let p1m = parse_duration("P1M").unwrap();
        assert_eq!(shift(now, p1m, true), Some(utc(2024, 2, 29, 12, 0, 0)));
        let p1dt1h = parse_duration("P1DT1H").unwrap();
        assert_eq!(shift(now, p1dt1h, false), Some(utc(2024, 1, 30, 11, 0, 0)));
        let huge = parse_duration("P1000000Y").unwrap();
        assert_eq!(shift(now, huge, true), None);
    }
}
