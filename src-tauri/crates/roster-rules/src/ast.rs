//! A parsed rule as a tree the evaluator walks: every constant already in the form a row is
//! compared against (lower case, a compiled regex, a parsed date).

use chrono::{DateTime, Utc};
use regex::Regex;

use crate::dates::Duration;
use crate::properties::ItemField;
use crate::text::TextSet;

/// One node of a rule. `slot` is an index into the rule's property list.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    /// True when any part is.
    Or(Vec<Expr>),
    /// True when every part is.
    And(Vec<Expr>),
    /// `-not`.
    Not(Box<Expr>),
    /// A condition on a single-valued text property.
    Text { slot: usize, test: TextTest },
    /// A condition written directly on a text list (`user.otherMails -endsWith "@x.com"`).
    List { slot: usize, test: TextTest },
    /// A condition on a boolean property; `value` `None` is `null`.
    Bool {
        slot: usize,
        negated: bool,
        value: Option<bool>,
    },
    /// A condition on a date property.
    Date {
        slot: usize,
        op: DateOp,
        value: DateValue,
    },
    /// `-any` (`all` false) or `-all` over a collection; `body` reads each item.
    Quantified {
        slot: usize,
        all: bool,
        over: Collection,
        body: Box<Expr>,
    },
    /// A condition on the current item inside `-any`/`-all`.
    Item { field: ItemField, test: TextTest },
    /// `Direct Reports for "<id>"`; `manager` is the id in lower case.
    DirectReports { slot: usize, manager: String },
}

/// What `-any`/`-all` runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collection {
    /// A text list; items are read as `_`.
    Texts,
    /// `assignedPlans`; items are read as `assignedPlan.<field>`.
    Plans,
    /// `memberOf`; items (group ids) are read as `group.objectId`.
    Groups,
}

/// A text comparison: a positive pattern, possibly negated (`-ne` is `-eq` negated).
#[derive(Debug, Clone)]
pub(crate) struct TextTest {
    pub pattern: Pattern,
    pub negated: bool,
}

/// What a text value is compared with; every text is lower case.
#[derive(Debug, Clone)]
pub(crate) enum Pattern {
    /// `-eq null`: the value is empty.
    Null,
    /// `-eq`.
    Eq(String),
    /// `-startsWith`.
    StartsWith(String),
    /// `-endsWith`.
    EndsWith(String),
    /// `-contains`.
    Contains(String),
    /// `-match`, compiled case-insensitive.
    Match(Regex),
    /// `-in`.
    In(TextSet),
}

/// A date comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateOp {
    Eq,
    Ne,
    Le,
    Ge,
}

/// What a date is compared with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DateValue {
    /// `null` (with `-eq`/`-ne` only).
    Null,
    /// A fixed instant.
    At(DateTime<Utc>),
    /// `system.now`, optionally `-plus` (`true`) or `-minus` a duration.
    Now(Option<(bool, Duration)>),
}

/// A comparison operator as written in a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    StartsWith,
    NotStartsWith,
    EndsWith,
    NotEndsWith,
    Contains,
    NotContains,
    Match,
    NotMatch,
    In,
    NotIn,
    Le,
    Ge,
}

const OPS: &[(Op, &str)] = &[
    (Op::Eq, "-eq"),
    (Op::Ne, "-ne"),
    (Op::StartsWith, "-startsWith"),
    (Op::NotStartsWith, "-notStartsWith"),
    (Op::EndsWith, "-endsWith"),
    (Op::NotEndsWith, "-notEndsWith"),
    (Op::Contains, "-contains"),
    (Op::NotContains, "-notContains"),
    (Op::Match, "-match"),
    (Op::NotMatch, "-notMatch"),
    (Op::In, "-in"),
    (Op::NotIn, "-notIn"),
    (Op::Le, "-le"),
    (Op::Ge, "-ge"),
];

impl Op {
    /// The operator named `name` (without hyphen, any case).
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        OPS.iter()
            .find(|(_, spelling)| spelling[1..].eq_ignore_ascii_case(name))
            .map(|(op, _)| *op)
    }

    /// How the docs spell it: `-startsWith`.
    pub(crate) fn spelling(self) -> &'static str {
        OPS.iter()
            .find(|(op, _)| *op == self)
            .map_or("", |(_, spelling)| spelling)
    }

    /// The positive operator and whether this one negates it (`-notIn` is `-in` negated).
    pub(crate) fn split(self) -> (Self, bool) {
        match self {
            Self::Ne => (Self::Eq, true),
            Self::NotStartsWith => (Self::StartsWith, true),
            Self::NotEndsWith => (Self::EndsWith, true),
            Self::NotContains => (Self::Contains, true),
            Self::NotMatch => (Self::Match, true),
            Self::NotIn => (Self::In, true),
            other => (other, false),
        }
    }

    /// Whether the operator compares text (all but `-le`/`-ge`).
    pub(crate) fn is_text(self) -> bool {
        !matches!(self, Self::Le | Self::Ge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_read_in_any_case_and_split_into_positive_and_negation() {
        assert_eq!(Op::from_name("STARTSWITH"), Some(Op::StartsWith));
        assert_eq!(Op::from_name("notin"), Some(Op::NotIn));
        assert_eq!(Op::from_name("gt"), None);
        assert_eq!(Op::NotContains.split(), (Op::Contains, true));
        assert_eq!(Op::Le.split(), (Op::Le, false));
        assert_eq!(Op::NotMatch.spelling(), "-notMatch");
        assert!(!Op::Ge.is_text() && Op::In.is_text());
    }
}
