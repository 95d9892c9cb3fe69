//! Reading the value after an operator, by the type of what is compared: text (a quoted string, a
//! number, `true`/`false` as text, `null` with `-eq`/`-ne`, a list for `-in`, a regular expression
//! for `-match`), booleans, and dates (`system.now -plus p1d`).

use regex::{Regex, RegexBuilder};

use crate::ast::{DateOp, DateValue, Expr, Op, Pattern, TextTest};
use crate::dates::{parse_date, parse_duration};
use crate::error::{Problem, RuleError, code};
use crate::lexer::{LexKind, is_keyword};
use crate::parser::{Parser, Scope, is_object_id};
use crate::text::{TextSet, lower};

/// The most memory one compiled `-match` pattern may take.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// The most groups a memberOf rule may name ("each dynamic group can have up to 50 member groups").
const MAX_GROUPS: usize = 50;

impl Parser {
    /// The value of a text comparison with `op`, as a test. In a memberOf condition every value must
    /// be a group object id.
    pub(crate) fn text_test(&mut self, op: Op, scope: Scope) -> Result<TextTest, RuleError> {
        let (positive, negated) = op.split();
        let value_at = self.here();
        let pattern = match positive {
            Op::In => {
                let values = self.list(op, scope)?;
                if scope == Scope::Groups && values.len() > MAX_GROUPS {
                    return Err(Problem::new(code::TOO_MANY_GROUPS)
                        .with("count", values.len())
                        .with("limit", MAX_GROUPS)
                        .at(value_at));
                }
                Pattern::In(TextSet::new(&values))
            }
            Op::Match => Pattern::Match(self.regex(op)?),
            _ => {
                let value = self.text_value(op, positive == Op::Eq)?;
                if scope == Scope::Groups && !value.as_deref().is_some_and(is_object_id) {
                    let found = value.map_or_else(|| "null".to_owned(), |v| format!("'{v}'"));
                    return Err(Problem::new(code::INVALID_OBJECT_ID)
                        .with("found", found)
                        .at(value_at));
                }
                let Some(value) = value else {
                    return Ok(TextTest {
                        pattern: Pattern::Null,
                        negated,
                    });
                };
                let value = lower(&value);
                match positive {
                    Op::StartsWith => Pattern::StartsWith(value),
                    Op::EndsWith => Pattern::EndsWith(value),
                    Op::Contains => Pattern::Contains(value),
                    _ => Pattern::Eq(value),
                }
            }
        };
        Ok(TextTest { pattern, negated })
    }

    /// A text value after `op`: a quoted string, a number or `true`/`false` (as text), or `null`
    /// (`None`) when `null_ok`.
    fn text_value(&mut self, op: Op, null_ok: bool) -> Result<Option<String>, RuleError> {
        let value = match self.peek() {
            Some(l) if matches!(l.kind, LexKind::Str { .. }) => Some(l.text.clone()),
            Some(l) if l.kind == LexKind::Word && is_null(&l.text) => {
                if !null_ok {
                    return self.fail(
                        Problem::new(code::NULL_NOT_ALLOWED).with("operator", op.spelling()),
                    );
                }
                None
            }
            Some(l) if l.kind == LexKind::Word && is_bare_text(&l.text) => Some(l.text.clone()),
            Some(l) if l.kind == LexKind::Word && !is_keyword(&l.text) => {
                return self.fail(Problem::new(code::UNQUOTED_TEXT).with("found", self.found()));
            }
            _ => return self.fail(expected_value(op, self.found())),
        };
        self.advance();
        Ok(value)
    }

    /// The list after `-in`/`-notIn`: `["a", "b"]` (single quotes too, numbers allowed).
    fn list(&mut self, op: Op, scope: Scope) -> Result<Vec<String>, RuleError> {
        if self.peek().map(|l| l.kind) != Some(LexKind::OpenBracket) {
            return self.fail(
                Problem::new(code::EXPECTED_LIST)
                    .with("operator", op.spelling())
                    .with("found", self.found()),
            );
        }
        let open = self.here();
        self.advance();
        if self.peek().map(|l| l.kind) == Some(LexKind::CloseBracket) {
            return Err(Problem::new(code::EMPTY_LIST).at(open));
        }
        let mut values = Vec::new();
        loop {
            values.push(self.list_item(op, scope)?);
            match self.peek().map(|l| l.kind) {
                Some(LexKind::Comma) => self.advance(),
                Some(LexKind::CloseBracket) => {
                    self.advance();
                    return Ok(values);
                }
                _ => {
                    return self.fail(
                        Problem::new(code::EXPECTED_COMMA_OR_BRACKET)
                            .with("open", open)
                            .with("found", self.found()),
                    );
                }
            }
        }
    }

    fn list_item(&mut self, op: Op, scope: Scope) -> Result<String, RuleError> {
        let value = match self.peek() {
            Some(l) if matches!(l.kind, LexKind::Str { .. }) => l.text.clone(),
            Some(l) if l.kind == LexKind::Word && is_null(&l.text) => {
                return self
                    .fail(Problem::new(code::NULL_NOT_ALLOWED).with("operator", op.spelling()));
            }
            Some(l) if l.kind == LexKind::Word && is_bare_text(&l.text) => l.text.clone(),
            Some(l) if l.kind == LexKind::Word => {
                return self.fail(Problem::new(code::UNQUOTED_TEXT).with("found", self.found()));
            }
            _ => {
                return self
                    .fail(Problem::new(code::EXPECTED_LIST_ITEM).with("found", self.found()));
            }
        };
        if scope == Scope::Groups && !is_object_id(&value) {
            return self.fail(Problem::new(code::INVALID_OBJECT_ID).with("found", self.found()));
        }
        self.advance();
        Ok(value)
    }

    /// The quoted pattern after `-match`/`-notMatch`, compiled case-insensitive with bounded size.
    fn regex(&mut self, op: Op) -> Result<Regex, RuleError> {
        let pattern = match self.peek() {
            Some(l) if matches!(l.kind, LexKind::Str { .. }) => l.text.clone(),
            Some(l) if l.kind == LexKind::Word && is_null(&l.text) => {
                return self
                    .fail(Problem::new(code::NULL_NOT_ALLOWED).with("operator", op.spelling()));
            }
            _ => {
                return self.fail(
                    Problem::new(code::EXPECTED_TEXT)
                        .with("operator", op.spelling())
                        .with("found", self.found()),
                );
            }
        };
        let compiled = RegexBuilder::new(&pattern)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .nest_limit(64)
            .build();
        match compiled {
            Ok(regex) => {
                self.advance();
                Ok(regex)
            }
            Err(error) => {
                self.fail(Problem::new(code::INVALID_REGEX).with("reason", regex_reason(&error)))
            }
        }
    }

    /// A boolean condition: `true`, `false` (quoted or not, any case) or `null`.
    pub(crate) fn bool_condition(
        &mut self,
        slot: usize,
        op: Op,
        property: &str,
    ) -> Result<Expr, RuleError> {
        let value = match self.peek() {
            Some(l) if matches!(l.kind, LexKind::Word | LexKind::Str { .. }) => {
                if l.kind == LexKind::Word && is_null(&l.text) {
                    None
                } else if l.text.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if l.text.eq_ignore_ascii_case("false") {
                    Some(false)
                } else if l.kind == LexKind::Word && is_keyword(&l.text) {
                    return self.fail(expected_value(op, self.found()));
                } else {
                    return self.fail(
                        Problem::new(code::EXPECTED_BOOLEAN)
                            .with("property", property)
                            .with("found", self.found()),
                    );
                }
            }
            _ => return self.fail(expected_value(op, self.found())),
        };
        self.advance();
        Ok(Expr::Bool {
            slot,
            negated: op == Op::Ne,
            value,
        })
    }

    /// A date condition: a date (quoted or not), `system.now` optionally `-plus`/`-minus` an
    /// ISO 8601 duration, or `null` with `-eq`/`-ne`.
    pub(crate) fn date_condition(&mut self, slot: usize, op: Op) -> Result<Expr, RuleError> {
        let date_op = match op {
            Op::Ne => DateOp::Ne,
            Op::Le => DateOp::Le,
            Op::Ge => DateOp::Ge,
            _ => DateOp::Eq,
        };
        let value = match self.peek() {
            Some(l) if l.kind == LexKind::Word && is_null(&l.text) => {
                if !matches!(op, Op::Eq | Op::Ne) {
                    return self.fail(
                        Problem::new(code::NULL_NOT_ALLOWED).with("operator", op.spelling()),
                    );
                }
                self.advance();
                DateValue::Null
            }
            Some(l) if l.kind == LexKind::Word && l.text.eq_ignore_ascii_case("system.now") => {
                self.advance();
                DateValue::Now(self.shift()?)
            }
            Some(l) if matches!(l.kind, LexKind::Str { .. } | LexKind::Word) => {
                if l.kind == LexKind::Word && is_keyword(&l.text) {
                    return self.fail(expected_value(op, self.found()));
                }
                let Some(at) = parse_date(&l.text) else {
                    return self.fail(Problem::new(code::INVALID_DATE).with("found", self.found()));
                };
                self.advance();
                DateValue::At(at)
            }
            _ => return self.fail(expected_value(op, self.found())),
        };
        Ok(Expr::Date {
            slot,
            op: date_op,
            value,
        })
    }

    /// `-plus <duration>` or `-minus <duration>` after `system.now`, if present.
    fn shift(&mut self) -> Result<Option<(bool, crate::dates::Duration)>, RuleError> {
        let plus = if self.is_word("plus", true) {
            true
        } else if self.is_word("minus", true) {
            false
        } else {
            return Ok(None);
        };
        let operator = if plus { "-plus" } else { "-minus" };
        self.advance();
        let duration = match self.peek() {
            Some(l) if matches!(l.kind, LexKind::Word | LexKind::Str { .. }) => {
                parse_duration(&l.text)
            }
            _ => {
                return self.fail(
                    Problem::new(code::EXPECTED_VALUE)
                        .with("operator", operator)
                        .with("found", self.found()),
                );
            }
        };
        let Some(duration) = duration else {
            return self.fail(Problem::new(code::INVALID_DURATION).with("found", self.found()));
        };
        self.advance();
        Ok(Some((plus, duration)))
    }
}

fn expected_value(op: Op, found: String) -> Problem {
    Problem::new(code::EXPECTED_VALUE)
        .with("operator", op.spelling())
        .with("found", found)
}

/// `null` (any case), or `$null` as the docs mention it.
fn is_null(word: &str) -> bool {
    word.eq_ignore_ascii_case("null") || word.eq_ignore_ascii_case("$null")
}

/// Words that may stand unquoted for text: numbers and `true`/`false`.
fn is_bare_text(word: &str) -> bool {
    let digits = word.strip_prefix('-').unwrap_or(word);
    let number = !digits.is_empty()
        && digits.split_once('.').map_or_else(
            || digits.chars().all(|c| c.is_ascii_digit()),
            |(whole, fraction)| {
                !whole.is_empty()
                    && !fraction.is_empty()
                    && whole.chars().all(|c| c.is_ascii_digit())
                    && fraction.chars().all(|c| c.is_ascii_digit())
            },
        );
    number || word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false")
}

/// The regex crate's complaint in one line ("unclosed group", "the pattern is too large").
fn regex_reason(error: &regex::Error) -> String {
    match error {
        regex::Error::CompiledTooBig(_) => "the pattern is too large".to_owned(),
        other => {
            let text = other.to_string();
            text.lines()
                .rev()
                .find(|line| !line.trim().is_empty())
                .map(|line| line.trim().trim_start_matches("error: ").to_owned())
                .unwrap_or(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_booleans_may_stand_unquoted_for_text() {
        for word in ["50001", "-5", "1.25", "TRUE", "false"] {
            assert!(is_bare_text(word), "{word}");
        }
        for word in ["Sales", "1.", ".5", "-", "1e5", "12ab"] {
            assert!(!is_bare_text(word), "{word}");
        }
    }

    #[test]
    fn regex_errors_read_as_one_line() {
        let unclosed = String::from("(ab");
        let error = RegexBuilder::new(&unclosed).build().unwrap_err();
        assert_eq!(regex_reason(&error), "unclosed group");
    }
}
