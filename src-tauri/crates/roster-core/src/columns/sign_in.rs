//! "Days since last sign-in", computed from a user's `signInActivity`: the later of the last
//! interactive and the last non-interactive sign-in, counted in whole days before the moment the
//! download started, so that every row of a file is counted from the same moment.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// Whole days from the user's latest sign-in (interactive or not) to `as_of`, or `None` when the
/// user never signed in (both dates missing or null). A sign-in after `as_of` counts as 0 days.
pub fn days_since_last_sign_in(sign_in_activity: &Value, as_of: DateTime<Utc>) -> Option<i64> {
    let date = |key: &str| {
        sign_in_activity
            .get(key)
            .and_then(Value::as_str)
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&Utc))
    };
    let latest = [
        date("lastSignInDateTime"),
        date("lastNonInteractiveSignInDateTime"),
    ]
    .into_iter()
    .flatten()
    .max()?;
    Some((as_of - latest).num_days().max(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_later_of_interactive_and_non_interactive_counts() {
        let activity = json!({
            "lastSignInDateTime": "2026-01-01T10:00:00Z",
            "lastNonInteractiveSignInDateTime": "2026-01-20T09:00:00Z",
            "lastSuccessfulSignInDateTime": "2025-12-01T00:00:00Z"
        });
        let as_of = at("2026-01-31T08:59:59Z");
        assert_eq!(days_since_last_sign_in(&activity, as_of), Some(10));
        let interactive_only = json!({"lastSignInDateTime": "2026-01-01T10:00:00Z"});
        assert_eq!(days_since_last_sign_in(&interactive_only, as_of), Some(29));
    }

    #[test]
    fn never_signed_in_is_none_and_a_later_sign_in_is_zero_days() {
        let as_of = at("2026-01-31T00:00:00Z");
        let never = json!({"lastSignInDateTime": null, "lastNonInteractiveSignInDateTime": null});
        assert_eq!(days_since_last_sign_in(&never, as_of), None);
        assert_eq!(days_since_last_sign_in(&Value::Null, as_of), None);
        let later = json!({"lastSignInDateTime": "2026-02-01T00:00:00Z"});
        assert_eq!(days_since_last_sign_in(&later, as_of), Some(0));
    }
}
