//! Microsoft Entra dynamic membership rules for users, offline: parse, check, evaluate.
//!
//! Roster lets a person try a dynamic group's rule against a CSV of users before it goes to Entra.
//! This crate reads the rule language as Microsoft documents it ("Manage rules for dynamic
//! membership groups in Microsoft Entra ID", `groups-dynamic-membership.md`, and the memberOf page)
//! and evaluates it against one row at a time.
//!
//! # The language
//!
//! - A condition is `user.<property> <operator> <value>`. Properties are the docs' user list, by
//!   type: boolean (`accountEnabled`, `dirSyncEnabled`), date (`employeeHireDate`), text (`city`,
//!   `department`, `mail`, `objectId`, `userType`, … and `extensionAttribute1`..`15`,
//!   `extension_<appid>_<name>`), text lists (`otherMails`, `proxyAddresses`), `assignedPlans` and
//!   `memberOf`. Property names are case-sensitive as the docs say; an unknown name is an error that
//!   suggests the closest known one.
//! - Operators, with or without the hyphen, in any case: `-eq -ne -startsWith -notStartsWith
//!   -endsWith -notEndsWith -contains -notContains -match -notMatch -in -notIn` on text and text
//!   lists; `-eq -ne` on booleans; `-eq -ne -le -ge` on dates; `-any -all` on text lists and
//!   `assignedPlans`; `-any` on `memberOf`. Logical `-and -or -not` and parentheses.
//! - Precedence, highest first: comparisons; `-not`; `-and`; `-or`; `-any -all`.
//! - Values: strings in double quotes (a quote inside is `` `" `` or `\"`) or single quotes (`''`
//!   inside); numbers and `true`/`false` unquoted; `null` unquoted (only with `-eq`/`-ne`);
//!   lists `["a", "b"]`; `-match` patterns are regular expressions, compiled once, case-insensitive,
//!   of bounded size; dates `2024-05-01`, `2020-06-10T18:13:20Z` (quoted or not) and
//!   `system.now`, optionally `-plus`/`-minus` an ISO 8601 duration (`p1d`, `PT12H`).
//! - Collections: `user.proxyAddresses -any (_ -startsWith "smtp:")`,
//!   `user.assignedPlans -any (assignedPlan.servicePlanId -eq "…" -and
//!   assignedPlan.capabilityStatus -eq "Enabled")` (also `assignedPlan.service`).
//! - Whole-rule forms: `Direct Reports for "<manager id>"` and
//!   `user.memberOf -any (group.objectId -in ['<group id>', …])` (at most 50 groups); neither
//!   combines with other conditions, as the docs say.
//! - A rule is at most 3,072 characters.
//!
//! # Decisions where the docs are silent or contradict themselves
//!
//! Reading (see `parser.rs`, `values.rs`, `lexer.rs`):
//! - The docs' own examples write `user.mailNickname`, `user.employeehiredate` and `user.memberof`;
//!   those three spellings are accepted as the listed names. Every other name must match exactly.
//! - A quote inside a double-quoted string may be written `` `" `` (the docs' example) or `\"`
//!   (the docs' wording); a backslash before anything else is kept as is (regexes need it).
//!   The docs' example value `` `"Sales`" `` written without outer quotes is the text `"Sales"`,
//!   quotes included (a backtick-escaped quote is a quote character). Single quotes (the memberOf
//!   page's `['id']`) delimit strings too, with `''` for a quote inside.
//! - The hyphen is optional on logical operators too (`and`, `or`, `not`, `any`, `all`), and
//!   operator names are read in any case; the en dash and em dash (`–ne` in the docs' examples)
//!   count as a hyphen. `null` is read in any case, and `$null` (which the docs mention) as `null`.
//! - memberOf accepts `group.objectId -in [...]` and `group.objectId -eq "..."`, nothing else.
//! - `true`/`false` for a boolean may be quoted; a number or `true`/`false` given for a text
//!   property is compared as its text; other unquoted words are an error.
//! - `-any`/`-all` without parentheses take the rest of the enclosing group as their condition.
//! - Object ids in Direct Reports and memberOf rules must be GUIDs.
//! - `-not` may be doubled; `-le`/`-ge` apply to dates only (the docs name no other use).
//!
//! Evaluating: see the "Semantics the docs leave open" in `evaluate.rs`, in short: null is the
//! empty text; negative operators are exact negations of the positive ones (true for null); an
//! operator on a text list holds when any item matches (negative: when none does); `-any` over
//! nothing is false, `-all` true; a boolean or date cell that does not parse equals nothing and is
//! not null.

mod ast;
mod dates;
mod error;
mod evaluate;
mod lexer;
mod parser;
mod properties;
mod text;
mod values;

#[cfg(test)]
mod testing;

pub use error::{RuleError, TEXT_CODES};
pub use evaluate::{AssignedPlan, UserValues};
pub use lexer::{Token, TokenKind, tokens};
pub use properties::{Property, PropertyKind};

use chrono::{DateTime, Utc};

/// A parsed rule: checked, with its constants prepared for fast evaluation.
#[derive(Debug, Clone)]
pub struct Rule {
    expr: ast::Expr,
    properties: Vec<Property>,
}

/// Parses `source` as a dynamic membership rule for users. Errors say where (1-based character
/// position) and what was expected there.
pub fn parse(source: &str) -> Result<Rule, RuleError> {
    let (expr, properties) = parser::parse_source(source)?;
    Ok(Rule { expr, properties })
}

impl Rule {
    /// The user properties the rule reads, by their rule names (`department`, `objectId`,
    /// `otherMails`, `assignedPlans`, `extensionAttribute3`, `extension_<appid>_<name>`, `memberOf`,
    /// and `manager` for a Direct Reports rule), each once, in order of first use. The evaluator
    /// refers to them by their index in this list ("slot").
    pub fn properties(&self) -> &[Property] {
        &self.properties
    }

    /// Evaluates the rule for one user. `now` is what `system.now` means.
    pub fn evaluate<U: UserValues + ?Sized>(&self, user: &U, now: DateTime<Utc>) -> bool {
        evaluate::evaluate(&self.expr, user, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Cell, TestUser, now};

    #[test]
    fn properties_are_listed_once_in_order_of_first_use() {
        let rule = parse(
            r#"user.department -eq "Sales" -and (user.otherMails -any (_ -contains "x") -or user.department -eq "HR") -and user.accountEnabled -eq true"#,
        )
        .unwrap();
        let names: Vec<(&str, PropertyKind)> = rule
            .properties()
            .iter()
            .map(|p| (p.name.as_str(), p.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("department", PropertyKind::Text),
                ("otherMails", PropertyKind::TextList),
                ("accountEnabled", PropertyKind::Boolean)
            ]
        );
    }

    #[test]
    fn a_direct_reports_rule_reads_the_manager() {
        let rule = parse(r#"Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb""#).unwrap();
        assert_eq!(
            rule.properties(),
            [Property {
                name: "manager".into(),
                kind: PropertyKind::Manager
            }]
        );
    }

    #[test]
    fn a_rule_is_clone_and_evaluates_the_same_after_cloning() {
        let rule = parse(r#"user.city -eq "Oslo""#).unwrap();
        let copy = rule.clone();
        let user = TestUser::new().with("city", Cell::Text("OSLO"));
        assert!(copy.evaluate(&user.bind(&rule), now()));
        assert!(format!("{rule:?}").contains("Eq"));
    }
}
