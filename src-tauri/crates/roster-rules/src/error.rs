//! What can be wrong with a rule: [`RuleError`] (a position and a [`Text`]), the codes it can carry
//! ([`TEXT_CODES`]) and their English wording. The wording lives in one table so the UI's dictionaries
//! can be checked against [`TEXT_CODES`] and every sentence is written once.

use roster_core::text::Text;

/// A syntax or meaning error in a rule: where it starts and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at position {position}: {}", .text.english)]
pub struct RuleError {
    /// 1-based character (not byte) position in the source where the problem starts.
    pub position: usize,
    /// The message as a code (`rule.expectedValue`), named parameters (`operator`, `found`,
    /// `property`, …) and the English sentence.
    pub text: Text,
}

/// The codes, one constant each, so call sites cannot misspell them.
pub(crate) mod code {
    pub const EMPTY: &str = "rule.empty";
    pub const TOO_LONG: &str = "rule.tooLong";
    pub const TOO_DEEP: &str = "rule.tooDeep";
    pub const UNCLOSED_STRING: &str = "rule.unclosedString";
    pub const EXPECTED_CONDITION: &str = "rule.expectedCondition";
    pub const UNKNOWN_PROPERTY: &str = "rule.unknownProperty";
    pub const UNKNOWN_PROPERTY_DID_YOU_MEAN: &str = "rule.unknownPropertyDidYouMean";
    pub const NOT_USER_PROPERTY: &str = "rule.notUserProperty";
    pub const ITEM_OUTSIDE_COLLECTION: &str = "rule.itemOutsideCollection";
    pub const WRONG_ITEM: &str = "rule.wrongItem";
    pub const EXPECTED_OPERATOR: &str = "rule.expectedOperator";
    pub const UNKNOWN_OPERATOR: &str = "rule.unknownOperator";
    pub const NOT_AS_OPERATOR: &str = "rule.notAsOperator";
    pub const OPERATOR_NOT_ALLOWED: &str = "rule.operatorNotAllowed";
    pub const EXPECTED_VALUE: &str = "rule.expectedValue";
    pub const UNQUOTED_TEXT: &str = "rule.unquotedText";
    pub const NULL_NOT_ALLOWED: &str = "rule.nullNotAllowed";
    pub const EXPECTED_BOOLEAN: &str = "rule.expectedBoolean";
    pub const INVALID_DATE: &str = "rule.invalidDate";
    pub const INVALID_DURATION: &str = "rule.invalidDuration";
    pub const EXPECTED_TEXT: &str = "rule.expectedText";
    pub const INVALID_REGEX: &str = "rule.invalidRegex";
    pub const EXPECTED_LIST: &str = "rule.expectedList";
    pub const EMPTY_LIST: &str = "rule.emptyList";
    pub const EXPECTED_LIST_ITEM: &str = "rule.expectedListItem";
    pub const EXPECTED_COMMA_OR_BRACKET: &str = "rule.expectedCommaOrBracket";
    pub const UNCLOSED_PARENTHESIS: &str = "rule.unclosedParenthesis";
    pub const UNEXPECTED_CLOSE: &str = "rule.unexpectedClose";
    pub const EXPECTED_LOGICAL: &str = "rule.expectedLogical";
    pub const MEMBER_OF_ALONE: &str = "rule.memberOfAlone";
    pub const MEMBER_OF_FORM: &str = "rule.memberOfForm";
    pub const TOO_MANY_GROUPS: &str = "rule.tooManyGroups";
    pub const INVALID_OBJECT_ID: &str = "rule.invalidObjectId";
    pub const DIRECT_REPORTS_FORM: &str = "rule.directReportsForm";
    pub const DIRECT_REPORTS_ALONE: &str = "rule.directReportsAlone";
}

/// Every code a [`RuleError`] can carry (the UI's dictionaries are checked against this list).
pub const TEXT_CODES: &[&str] = &[
    code::EMPTY,
    code::TOO_LONG,
    code::TOO_DEEP,
    code::UNCLOSED_STRING,
    code::EXPECTED_CONDITION,
    code::UNKNOWN_PROPERTY,
    code::UNKNOWN_PROPERTY_DID_YOU_MEAN,
    code::NOT_USER_PROPERTY,
    code::ITEM_OUTSIDE_COLLECTION,
    code::WRONG_ITEM,
    code::EXPECTED_OPERATOR,
    code::UNKNOWN_OPERATOR,
    code::NOT_AS_OPERATOR,
    code::OPERATOR_NOT_ALLOWED,
    code::EXPECTED_VALUE,
    code::UNQUOTED_TEXT,
    code::NULL_NOT_ALLOWED,
    code::EXPECTED_BOOLEAN,
    code::INVALID_DATE,
    code::INVALID_DURATION,
    code::EXPECTED_TEXT,
    code::INVALID_REGEX,
    code::EXPECTED_LIST,
    code::EMPTY_LIST,
    code::EXPECTED_LIST_ITEM,
    code::EXPECTED_COMMA_OR_BRACKET,
    code::UNCLOSED_PARENTHESIS,
    code::UNEXPECTED_CLOSE,
    code::EXPECTED_LOGICAL,
    code::MEMBER_OF_ALONE,
    code::MEMBER_OF_FORM,
    code::TOO_MANY_GROUPS,
    code::INVALID_OBJECT_ID,
    code::DIRECT_REPORTS_FORM,
    code::DIRECT_REPORTS_ALONE,
];

/// The English sentence of each code; `{name}` is replaced by parameter `name`.
const ENGLISH: &[(&str, &str)] = &[
    (code::EMPTY, "the rule is empty"),
    (
        code::TOO_LONG,
        "the rule is {length} characters long; Entra allows at most {limit}",
    ),
    (code::TOO_DEEP, "parentheses nest more than {limit} deep"),
    (
        code::UNCLOSED_STRING,
        "unclosed string: the closing {quote} is missing",
    ),
    (
        code::EXPECTED_CONDITION,
        "expected a condition such as user.department -eq \"Sales\", found {found}",
    ),
    (
        code::UNKNOWN_PROPERTY,
        "{property} is not a user property a rule can read",
    ),
    (
        code::UNKNOWN_PROPERTY_DID_YOU_MEAN,
        "{property} is not a user property a rule can read; did you mean {suggestion}?",
    ),
    (
        code::NOT_USER_PROPERTY,
        "{property} is not a user property: a rule for users reads user.<property>",
    ),
    (
        code::ITEM_OUTSIDE_COLLECTION,
        "{found} can only be used inside -any or -all",
    ),
    (
        code::WRONG_ITEM,
        "expected {expected} inside -any/-all, found {found} (to go on with the rule after -any/-all, put the -any/-all condition in parentheses)",
    ),
    (
        code::EXPECTED_OPERATOR,
        "expected an operator such as -eq after {property}, found {found}",
    ),
    (
        code::UNKNOWN_OPERATOR,
        "{found} is not an operator; use -eq, -ne, -startsWith, -notStartsWith, -endsWith, -notEndsWith, -contains, -notContains, -match, -notMatch, -in, -notIn, -le, -ge, -any or -all",
    ),
    (
        code::NOT_AS_OPERATOR,
        "-not can't compare a property with a value; use -ne (for null: -ne null)",
    ),
    (
        code::OPERATOR_NOT_ALLOWED,
        "{operator} can't be used with {property}; use {allowed}",
    ),
    (
        code::EXPECTED_VALUE,
        "expected a value after {operator}, found {found}",
    ),
    (
        code::UNQUOTED_TEXT,
        "text values go in double quotes: \"{found}\"",
    ),
    (
        code::NULL_NOT_ALLOWED,
        "null can only be compared with -eq or -ne, not {operator}",
    ),
    (
        code::EXPECTED_BOOLEAN,
        "{property} is true or false, found {found}",
    ),
    (
        code::INVALID_DATE,
        "{found} is not a date; use 2024-05-01, 2024-05-01T08:00:00Z or system.now",
    ),
    (
        code::INVALID_DURATION,
        "{found} is not a duration; use ISO 8601 such as P1D, P2W, PT12H or P1Y2M",
    ),
    (
        code::EXPECTED_TEXT,
        "{operator} needs text in quotes, found {found}",
    ),
    (code::INVALID_REGEX, "invalid regular expression: {reason}"),
    (
        code::EXPECTED_LIST,
        "{operator} needs a list such as [\"a\", \"b\"], found {found}",
    ),
    (code::EMPTY_LIST, "the list is empty"),
    (
        code::EXPECTED_LIST_ITEM,
        "expected a text in quotes in the list, found {found}",
    ),
    (
        code::EXPECTED_COMMA_OR_BRACKET,
        "expected , or ] to close the [ at position {open}, found {found}",
    ),
    (
        code::UNCLOSED_PARENTHESIS,
        "expected ) to close the ( at position {open}, found {found}",
    ),
    (
        code::UNEXPECTED_CLOSE,
        "unexpected ): there is no ( to close",
    ),
    (
        code::EXPECTED_LOGICAL,
        "expected -and, -or or the end of the rule, found {found}",
    ),
    (
        code::MEMBER_OF_ALONE,
        "a memberOf rule can't be combined with other conditions",
    ),
    (
        code::MEMBER_OF_FORM,
        "expected user.memberOf -any (group.objectId -in ['<group object ID>', …]), found {found}",
    ),
    (
        code::TOO_MANY_GROUPS,
        "a memberOf rule can name at most {limit} groups; this one names {count}",
    ),
    (
        code::INVALID_OBJECT_ID,
        "{found} is not an object ID (a GUID such as aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb)",
    ),
    (
        code::DIRECT_REPORTS_FORM,
        "expected Direct Reports for \"<manager object ID>\", found {found}",
    ),
    (
        code::DIRECT_REPORTS_ALONE,
        "a Direct Reports rule can't be combined with other conditions",
    ),
];

/// A problem found while reading a rule, before it is placed at a position.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    code: &'static str,
    params: Vec<(&'static str, String)>,
}

impl Problem {
    /// A problem with code `code` (one of [`code`]) and no parameters yet.
    pub(crate) fn new(code: &'static str) -> Self {
        Self {
            code,
            params: Vec::new(),
        }
    }

    /// Adds parameter `name`.
    pub(crate) fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The error at 1-based character `position`.
    pub(crate) fn at(self, position: usize) -> RuleError {
        let template = ENGLISH
            .iter()
            .find(|(code, _)| *code == self.code)
            .map_or(self.code, |(_, english)| english);
        let mut english = template.to_owned();
        for (name, value) in &self.params {
            english = english.replace(&format!("{{{name}}}"), value);
        }
        let mut text = Text::new(self.code, english);
        for (name, value) in self.params {
            text = text.with(name, value);
        }
        RuleError { position, text }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_code_has_english_and_every_english_a_code() {
        let codes: BTreeSet<&str> = TEXT_CODES.iter().copied().collect();
        let worded: BTreeSet<&str> = ENGLISH.iter().map(|(code, _)| *code).collect();
        assert_eq!(codes, worded);
        assert_eq!(codes.len(), TEXT_CODES.len(), "a code is listed twice");
        assert!(TEXT_CODES.iter().all(|code| code.starts_with("rule.")));
    }

    #[test]
    fn errors_fill_their_parameters_and_display_the_position() {
        let error = Problem::new(code::EXPECTED_VALUE)
            .with("operator", "-eq")
            .with("found", "end of rule")
            .at(17);
        assert_eq!(error.text.code, "rule.expectedValue");
        assert_eq!(error.text.params["operator"], "-eq");
        assert_eq!(
            error.to_string(),
            "at position 17: expected a value after -eq, found end of rule"
        );
    }
}
