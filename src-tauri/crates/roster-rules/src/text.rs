//! Case-insensitive text comparison without allocating for ASCII values: the rule's constants are
//! lower-cased once at parse time, and each row's value is folded on the fly. Non-ASCII values are
//! compared by their Unicode lower case (allocating only for `-endsWith`, `-contains` and large `-in`
//! lists).

use std::collections::HashSet;

/// `text` in lower case, as the rule's constants are stored.
pub(crate) fn lower(text: &str) -> String {
    text.to_lowercase()
}

/// Whether `value` equals `lower` (already lower case), ignoring case.
pub(crate) fn eq_fold(value: &str, lower: &str) -> bool {
    if value.is_ascii() {
        value.eq_ignore_ascii_case(lower)
    } else {
        value.chars().flat_map(char::to_lowercase).eq(lower.chars())
    }
}

/// Whether `value` starts with `lower` (already lower case), ignoring case.
pub(crate) fn starts_with_fold(value: &str, lower: &str) -> bool {
    if value.is_ascii() {
        let (value, lower) = (value.as_bytes(), lower.as_bytes());
        value.len() >= lower.len() && value[..lower.len()].eq_ignore_ascii_case(lower)
    } else {
        let mut folded = value.chars().flat_map(char::to_lowercase);
        lower.chars().all(|c| folded.next() == Some(c))
    }
}

/// Whether `value` ends with `lower` (already lower case), ignoring case.
pub(crate) fn ends_with_fold(value: &str, lower: &str) -> bool {
    if value.is_ascii() {
        let (value, lower) = (value.as_bytes(), lower.as_bytes());
        value.len() >= lower.len() && value[value.len() - lower.len()..].eq_ignore_ascii_case(lower)
    } else {
        value.to_lowercase().ends_with(lower)
    }
}

/// Whether `value` contains `lower` (already lower case), ignoring case.
pub(crate) fn contains_fold(value: &str, lower: &str) -> bool {
    if lower.is_empty() {
        return true;
    }
    if value.is_ascii() {
        let (value, lower) = (value.as_bytes(), lower.as_bytes());
        value.len() >= lower.len()
            && value
                .windows(lower.len())
                .any(|w| w.eq_ignore_ascii_case(lower))
    } else {
        value.to_lowercase().contains(lower)
    }
}

/// Lists longer than this are looked up in a hash set instead of compared one by one.
const SMALL_LIST: usize = 8;

/// ASCII values up to this many bytes are lower-cased on the stack for a hash-set lookup.
const STACK_VALUE: usize = 128;

/// The values of an `-in` / `-notIn` list, lower case.
#[derive(Debug, Clone)]
pub(crate) struct TextSet {
    values: Vec<String>,
    lookup: Option<HashSet<String>>,
}

impl TextSet {
    /// A set of `values` (lower-cased here).
    pub(crate) fn new(values: &[String]) -> Self {
        let values: Vec<String> = values.iter().map(|v| lower(v)).collect();
        let lookup = (values.len() > SMALL_LIST).then(|| values.iter().cloned().collect());
        Self { values, lookup }
    }

    /// Whether `value` is in the set, ignoring case.
    pub(crate) fn contains(&self, value: &str) -> bool {
        let Some(lookup) = &self.lookup else {
            return self.values.iter().any(|v| eq_fold(value, v));
        };
        if value.is_ascii() && value.len() <= STACK_VALUE {
            let mut buffer = [0u8; STACK_VALUE];
            let folded = &mut buffer[..value.len()];
            folded.copy_from_slice(value.as_bytes());
            folded.make_ascii_lowercase();
            std::str::from_utf8(folded).is_ok_and(|v| lookup.contains(v))
        } else {
            lookup.contains(&lower(value))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_ignore_case_for_ascii_and_unicode() {
        assert!(eq_fold("SALES", "sales"));
        assert!(!eq_fold("Sales ", "sales"));
        assert!(eq_fold("ZÜRICH", "zürich"));
        assert!(!eq_fold("Zurich", "zürich"));
        assert!(starts_with_fold("Contoso.com", "cont"));
        assert!(starts_with_fold("Ärger", "är"));
        assert!(!starts_with_fold("co", "cont"));
        assert!(!starts_with_fold("Är", "ärger"));
        assert!(ends_with_fold("bob@CONTOSO.com", "@contoso.com"));
        assert!(ends_with_fold("GRÜN", "ün"));
        assert!(!ends_with_fold("n", "ün"));
        assert!(contains_fold("Head of Sales", "of s"));
        assert!(contains_fold("STRAẞE", "ß"));
        assert!(contains_fold("", ""));
        assert!(!contains_fold("abc", "abcd"));
        assert!(!eq_fold("abc", "ébc"));
    }

    #[test]
    fn sets_find_values_ignoring_case_small_and_large() {
        let small = TextSet::new(&["A".into(), "b".into()]);
        assert!(small.contains("a") && small.contains("B") && !small.contains("c"));
        let many: Vec<String> = (0..20).map(|i| format!("Dept{i}")).collect();
        let mut many = many;
        many.push("Zürich".into());
        let large = TextSet::new(&many);
        assert!(large.contains("DEPT7"));
        assert!(large.contains("zÜrich"));
        assert!(!large.contains("dept77"));
        assert!(!large.contains(&"x".repeat(500)));
        assert_eq!(large.values[0], "dept0");
    }
}
