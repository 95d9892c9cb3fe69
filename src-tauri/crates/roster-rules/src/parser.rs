//! The rule grammar, by recursive descent over the lexer's lexemes. Precedence, highest first, as the
//! docs list it: comparisons; `-not`; `-and`; `-or`; `-any`/`-all`. So `a -or b -and c` is
//! `a -or (b -and c)`, `-not a -and b` is `(-not a) -and b`, and an `-any`/`-all` whose condition is
//! not in parentheses takes everything up to the end of the enclosing parentheses (or rule) as its
//! condition. Values are read in `values.rs`.

use crate::ast::{Collection, Expr, Op};
use crate::error::{Problem, RuleError, code};
use crate::lexer::{LexKind, Lexeme, is_keyword, lex};
use crate::properties::{self, ItemField, Property, PropertyKind, TEXT_OPERATORS};

/// The longest rule Entra accepts, in characters ("can't exceed 3,072 characters").
pub(crate) const MAX_LENGTH: usize = 3072;

/// How deep parentheses may nest (a bound for the recursion, not an Entra limit).
const MAX_DEPTH: usize = 64;

/// What a condition reads: the user, or the items of a collection inside `-any`/`-all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    User,
    Texts,
    Plans,
    Groups,
}

/// What follows a property: a comparison, `-any` or `-all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Op(Op),
    Any,
    All,
}

impl Verb {
    fn spelling(self) -> &'static str {
        match self {
            Self::Op(op) => op.spelling(),
            Self::Any => "-any",
            Self::All => "-all",
        }
    }
}

/// The parser's state: lexemes, the read position, and the properties met so far (their slots).
pub(crate) struct Parser {
    lexemes: Vec<Lexeme>,
    at: usize,
    length: usize,
    pub(crate) properties: Vec<Property>,
    depth: usize,
    member_of_at: Option<usize>,
}

/// Parses `source` into a tree and the properties it reads.
pub(crate) fn parse_source(source: &str) -> Result<(Expr, Vec<Property>), RuleError> {
    let length = source.chars().count();
    if length > MAX_LENGTH {
        return Err(Problem::new(code::TOO_LONG)
            .with("length", length)
            .with("limit", "3,072")
            .at(MAX_LENGTH + 1));
    }
    let mut parser = Parser {
        lexemes: lex(source),
        at: 0,
        length,
        properties: Vec::new(),
        depth: 0,
        member_of_at: None,
    };
    let expr = parser.rule()?;
    Ok((expr, parser.properties))
}

impl Parser {
    /// The lexeme at the read position.
    pub(crate) fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.at)
    }

    /// Moves past the current lexeme.
    pub(crate) fn advance(&mut self) {
        self.at += 1;
    }

    /// The 1-based position of the current lexeme (one past the end at the end).
    pub(crate) fn here(&self) -> usize {
        self.peek().map_or(self.length + 1, |l| l.start + 1)
    }

    /// The current lexeme as written, for "found …" (shortened if long).
    pub(crate) fn found(&self) -> String {
        let Some(lexeme) = self.peek() else {
            return "end of rule".to_owned();
        };
        let raw = &lexeme.raw;
        if raw.chars().count() > 40 {
            format!("{}…", raw.chars().take(40).collect::<String>())
        } else {
            raw.clone()
        }
    }

    /// `problem` at the current lexeme.
    pub(crate) fn fail<T>(&self, problem: Problem) -> Result<T, RuleError> {
        Err(problem.at(self.here()))
    }

    /// Whether the current lexeme is the word or dashed word `name` (any case).
    pub(crate) fn is_word(&self, name: &str, dashed_too: bool) -> bool {
        self.peek().is_some_and(|l| {
            (l.kind == LexKind::Word || (dashed_too && l.kind == LexKind::Dashed))
                && l.text.eq_ignore_ascii_case(name)
        })
    }

    /// Moves past logical operator `name` (`-and`, or `and` without hyphen) if it is next.
    fn eat_logical(&mut self, name: &str) -> bool {
        let found = self.is_word(name, true);
        if found {
            self.advance();
        }
        found
    }

    /// The slot of `property`, adding it at the end of the list when it is new.
    pub(crate) fn slot(&mut self, property: Property) -> usize {
        match self.properties.iter().position(|p| p.name == property.name) {
            Some(slot) => slot,
            None => {
                self.properties.push(property);
                self.properties.len() - 1
            }
        }
    }

    fn rule(&mut self) -> Result<Expr, RuleError> {
        if let Some(unclosed) = self
            .lexemes
            .iter()
            .find(|l| l.kind == (LexKind::Str { closed: false }))
        {
            let quote = if unclosed.raw.starts_with('\'') {
                '\''
            } else {
                '"'
            };
            return Err(Problem::new(code::UNCLOSED_STRING)
                .with("quote", quote)
                .at(unclosed.start + 1));
        }
        if self.lexemes.is_empty() {
            return Err(Problem::new(code::EMPTY).at(1));
        }
        if self.is_word("direct", false) {
            return self.direct_reports();
        }
        let expr = self.or(Scope::User)?;
        match self.peek().map(|l| l.kind) {
            None => {}
            Some(LexKind::Close) => return self.fail(Problem::new(code::UNEXPECTED_CLOSE)),
            Some(_) => {
                return self.fail(Problem::new(code::EXPECTED_LOGICAL).with("found", self.found()));
            }
        }
        let member_of_alone = matches!(
            expr,
            Expr::Quantified {
                over: Collection::Groups,
                ..
            }
        );
        if let Some(position) = self.member_of_at.filter(|_| !member_of_alone) {
            return Err(Problem::new(code::MEMBER_OF_ALONE).at(position));
        }
        Ok(expr)
    }

    pub(crate) fn or(&mut self, scope: Scope) -> Result<Expr, RuleError> {
        let first = self.and(scope)?;
        if !self.is_word("or", true) {
            return Ok(first);
        }
        let mut parts = vec![first];
        while self.eat_logical("or") {
            parts.push(self.and(scope)?);
        }
        Ok(Expr::Or(parts))
    }

    fn and(&mut self, scope: Scope) -> Result<Expr, RuleError> {
        let first = self.not(scope)?;
        if !self.is_word("and", true) {
            return Ok(first);
        }
        let mut parts = vec![first];
        while self.eat_logical("and") {
            parts.push(self.not(scope)?);
        }
        Ok(Expr::And(parts))
    }

    fn not(&mut self, scope: Scope) -> Result<Expr, RuleError> {
        let mut negations = 0;
        while self.eat_logical("not") {
            negations += 1;
        }
        let expr = self.primary(scope)?;
        Ok(if negations % 2 == 1 {
            Expr::Not(Box::new(expr))
        } else {
            expr
        })
    }

    fn primary(&mut self, scope: Scope) -> Result<Expr, RuleError> {
        match self.peek().map(|l| l.kind) {
            Some(LexKind::Open) => self.parenthesized(scope),
            Some(LexKind::Word) if !self.peek().is_some_and(|l| is_keyword(&l.text)) => {
                if scope == Scope::User {
                    self.user_condition()
                } else {
                    self.item_condition(scope)
                }
            }
            _ => self.fail(Problem::new(code::EXPECTED_CONDITION).with("found", self.found())),
        }
    }

    /// `( … )` at the current lexeme.
    pub(crate) fn parenthesized(&mut self, scope: Scope) -> Result<Expr, RuleError> {
        let open = self.here();
        if self.depth >= MAX_DEPTH {
            return self.fail(Problem::new(code::TOO_DEEP).with("limit", MAX_DEPTH));
        }
        self.advance();
        self.depth += 1;
        let expr = self.or(scope)?;
        if self.peek().map(|l| l.kind) != Some(LexKind::Close) {
            return self.fail(
                Problem::new(code::UNCLOSED_PARENTHESIS)
                    .with("open", open)
                    .with("found", self.found()),
            );
        }
        self.advance();
        self.depth -= 1;
        Ok(expr)
    }

    /// A condition on a user property: `user.<name> <operator> <value>` or `-any`/`-all`.
    fn user_condition(&mut self) -> Result<Expr, RuleError> {
        let position = self.here();
        let word = self.peek().map(|l| l.text.clone()).unwrap_or_default();
        if word == "_" || word.starts_with("assignedPlan.") || word.starts_with("group.") {
            return self.fail(Problem::new(code::ITEM_OUTSIDE_COLLECTION).with("found", &word));
        }
        if word.eq_ignore_ascii_case("direct") {
            return self.fail(Problem::new(code::DIRECT_REPORTS_ALONE));
        }
        let property = resolve_user_property(&word).map_err(|p| p.at(position))?;
        self.advance();
        let kind = property.kind;
        let slot = self.slot(property);
        let (verb, verb_at) = self.verb(&word)?;
        match (kind, verb) {
            (PropertyKind::Text, Verb::Op(op)) if op.is_text() => Ok(Expr::Text {
                slot,
                test: self.text_test(op, Scope::User)?,
            }),
            (PropertyKind::TextList, Verb::Op(op)) if op.is_text() => Ok(Expr::List {
                slot,
                test: self.text_test(op, Scope::User)?,
            }),
            (PropertyKind::Boolean, Verb::Op(op @ (Op::Eq | Op::Ne))) => {
                self.bool_condition(slot, op, &word)
            }
            (PropertyKind::DateTime, Verb::Op(op @ (Op::Eq | Op::Ne | Op::Le | Op::Ge))) => {
                self.date_condition(slot, op)
            }
            (PropertyKind::TextList, Verb::Any | Verb::All) => {
                self.quantified(slot, verb == Verb::All, Collection::Texts)
            }
            (PropertyKind::AssignedPlans, Verb::Any | Verb::All) => {
                self.quantified(slot, verb == Verb::All, Collection::Plans)
            }
            (PropertyKind::MemberOf, Verb::Any) => {
                self.member_of_at.get_or_insert(position);
                self.quantified(slot, false, Collection::Groups)
            }
            (kind, verb) => Err(Problem::new(code::OPERATOR_NOT_ALLOWED)
                .with("operator", verb.spelling())
                .with("property", &word)
                .with("allowed", kind.allowed_operators())
                .at(verb_at)),
        }
    }

    /// The operator after property `property` and its position.
    fn verb(&mut self, property: &str) -> Result<(Verb, usize), RuleError> {
        let position = self.here();
        let expected = || {
            Problem::new(code::EXPECTED_OPERATOR)
                .with("property", property)
                .with("found", self.found())
        };
        let Some(lexeme) = self.peek() else {
            return self.fail(expected());
        };
        if !matches!(lexeme.kind, LexKind::Word | LexKind::Dashed) {
            return self.fail(expected());
        }
        let name = lexeme.text.to_ascii_lowercase();
        let verb = match (name.as_str(), Op::from_name(&name)) {
            ("any", _) => Verb::Any,
            ("all", _) => Verb::All,
            (_, Some(op)) => Verb::Op(op),
            ("not", None) => return self.fail(Problem::new(code::NOT_AS_OPERATOR)),
            ("and" | "or", None) => return self.fail(expected()),
            (_, None) if lexeme.kind == LexKind::Dashed => {
                return self.fail(Problem::new(code::UNKNOWN_OPERATOR).with("found", self.found()));
            }
            (_, None) => return self.fail(expected()),
        };
        self.advance();
        Ok((verb, position))
    }

    /// The condition of an `-any`/`-all` on slot `slot`: in parentheses, or up to the end of the
    /// enclosing parentheses (the docs give `-any`/`-all` the lowest precedence).
    fn quantified(&mut self, slot: usize, all: bool, over: Collection) -> Result<Expr, RuleError> {
        let scope = match over {
            Collection::Texts => Scope::Texts,
            Collection::Plans => Scope::Plans,
            Collection::Groups => Scope::Groups,
        };
        let (body_at, body_found) = (self.here(), self.found());
        let body = if self.peek().map(|l| l.kind) == Some(LexKind::Open) {
            self.parenthesized(scope)?
        } else {
            self.or(scope)?
        };
        if over == Collection::Groups && !matches!(body, Expr::Item { .. }) {
            return Err(Problem::new(code::MEMBER_OF_FORM)
                .with("found", body_found)
                .at(body_at));
        }
        Ok(Expr::Quantified {
            slot,
            all,
            over,
            body: Box::new(body),
        })
    }

    /// A condition on the current item inside `-any`/`-all`: `_ -startsWith "x"`,
    /// `assignedPlan.servicePlanId -eq "…"`, `group.objectId -in ['…']`.
    fn item_condition(&mut self, scope: Scope) -> Result<Expr, RuleError> {
        let word = self.peek().map(|l| l.text.clone()).unwrap_or_default();
        let (field, expected) = match scope {
            Scope::Texts => ((word == "_").then_some(ItemField::Value), "_"),
            Scope::Plans => match word.strip_prefix("assignedPlan.") {
                Some(name) => (
                    Some(properties::plan_field(&word, name).map_err(|p| p.at(self.here()))?),
                    "",
                ),
                None => (
                    None,
                    "assignedPlan.servicePlanId, assignedPlan.capabilityStatus or assignedPlan.service",
                ),
            },
            Scope::Groups | Scope::User => (
                (word == "group.objectId").then_some(ItemField::Value),
                "group.objectId",
            ),
        };
        let Some(field) = field else {
            return self.fail(
                Problem::new(code::WRONG_ITEM)
                    .with("expected", expected)
                    .with("found", self.found()),
            );
        };
        self.advance();
        let (verb, verb_at) = self.verb(&word)?;
        let op = match (scope, verb) {
            (Scope::Groups, Verb::Op(op @ (Op::In | Op::Eq))) => op,
            (Scope::Groups, verb) => {
                return Err(Problem::new(code::MEMBER_OF_FORM)
                    .with("found", verb.spelling())
                    .at(verb_at));
            }
            (_, Verb::Op(op)) if op.is_text() => op,
            (_, verb) => {
                return Err(Problem::new(code::OPERATOR_NOT_ALLOWED)
                    .with("operator", verb.spelling())
                    .with("property", &word)
                    .with("allowed", TEXT_OPERATORS)
                    .at(verb_at));
            }
        };
        Ok(Expr::Item {
            field,
            test: self.text_test(op, scope)?,
        })
    }

    /// `Direct Reports for "<manager object id>"`, the whole rule.
    fn direct_reports(&mut self) -> Result<Expr, RuleError> {
        for word in ["direct", "reports", "for"] {
            if !self.is_word(word, false) {
                return self
                    .fail(Problem::new(code::DIRECT_REPORTS_FORM).with("found", self.found()));
            }
            self.advance();
        }
        let manager = match self.peek() {
            Some(l) if matches!(l.kind, LexKind::Str { .. }) => l.text.clone(),
            _ => {
                return self
                    .fail(Problem::new(code::DIRECT_REPORTS_FORM).with("found", self.found()));
            }
        };
        if !is_object_id(&manager) {
            return self.fail(Problem::new(code::INVALID_OBJECT_ID).with("found", self.found()));
        }
        self.advance();
        if self.peek().is_some() {
            return self.fail(Problem::new(code::DIRECT_REPORTS_ALONE));
        }
        let slot = self.slot(Property {
            name: "manager".to_owned(),
            kind: PropertyKind::Manager,
        });
        Ok(Expr::DirectReports {
            slot,
            manager: manager.to_lowercase(),
        })
    }
}

/// The user property `word` names (`user.department`), or why it names none.
fn resolve_user_property(word: &str) -> Result<Property, Problem> {
    let Some((object, name)) = word.split_once('.') else {
        return Err(match properties::user_property(word) {
            Ok(property) => properties::unknown(word, Some(format!("user.{}", property.name))),
            Err(Some(close)) => properties::unknown(word, Some(format!("user.{close}"))),
            Err(None) => Problem::new(code::EXPECTED_CONDITION).with("found", word),
        });
    };
    if object != "user" {
        if !object.eq_ignore_ascii_case("user") {
            return Err(Problem::new(code::NOT_USER_PROPERTY).with("property", word));
        }
        let name = match properties::user_property(name) {
            Ok(property) => property.name,
            Err(close) => close.unwrap_or_else(|| name.to_owned()),
        };
        return Err(properties::unknown(word, Some(format!("user.{name}"))));
    }
    properties::user_property(name)
        .map_err(|close| properties::unknown(word, close.map(|c| format!("user.{c}"))))
}

/// Whether `text` is an object id: a GUID written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub(crate) fn is_object_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests;
