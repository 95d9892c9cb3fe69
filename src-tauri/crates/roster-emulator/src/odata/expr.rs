//! The compiled, typed form of a `$filter` and its evaluation against [`Entity`] values. Property names
//! are canonical `&'static str`s resolved at plan time and string literals are lower-cased once, so the
//! common `eq`/`startsWith` paths allocate nothing per entity.

use std::cmp::Ordering;

use super::parse::CmpOp;
use super::text::{ci_cmp, ci_ends_with, ci_eq, ci_starts_with, parse_timestamp};
use super::{Entity, Value};

/// Where a property path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Root {
    /// The entity being filtered.
    Entity,
    /// The current item of the enclosing `any(...)`.
    Item,
}

/// A resolved property path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path {
    pub(crate) root: Root,
    pub(crate) segs: Box<[&'static str]>,
}

impl Path {
    /// Reads the value at this path; missing properties and non-object intermediates read as `Null`.
    pub(crate) fn get<'v>(&self, e: &'v dyn Entity, item: Option<&Value<'v>>) -> Value<'v> {
        let (mut v, rest) = match self.root {
            Root::Entity => match self.segs.split_first() {
                Some((first, rest)) => (e.get(first).unwrap_or(Value::Null), rest),
                None => return Value::Null,
            },
            Root::Item => (item.cloned().unwrap_or(Value::Null), &self.segs[..]),
        };
        for seg in rest {
            v = match v {
                Value::Object(o) => o.get(seg).unwrap_or(Value::Null),
                _ => return Value::Null,
            };
        }
        v
    }
}

/// A typed literal; strings and GUIDs are stored lower-cased, timestamps as epoch microseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Str(Box<str>),
    Guid(Box<str>),
    Time(i64),
}

/// A test applied to the value at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Test {
    Cmp(CmpOp, Lit),
    In(Box<[Lit]>),
    StartsWith(Box<str>),
    EndsWith(Box<str>),
}

/// A compiled boolean filter expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Test(Path, Test),
    /// `collection/any(v: body)`; `None` body means "the collection is not empty".
    Any(Path, Option<Box<Expr>>),
    /// `collection/$count op n`.
    Count(Path, CmpOp, i64),
}

impl Expr {
    /// Evaluates the expression for `e` (and the current lambda item, if inside `any`).
    pub(crate) fn eval<'v>(&self, e: &'v dyn Entity, item: Option<&Value<'v>>) -> bool {
        match self {
            Expr::And(items) => items.iter().all(|x| x.eval(e, item)),
            Expr::Or(items) => items.iter().any(|x| x.eval(e, item)),
            Expr::Not(inner) => !inner.eval(e, item),
            Expr::Test(path, test) => test.eval(&path.get(e, item)),
            Expr::Any(path, Some(body)) if path.root == Root::Entity && path.segs.len() == 1 => {
                let mut test = |it: &Value<'_>| body.eval(e, Some(it));
                match e.any_item(path.segs[0], &mut test) {
                    Some(hit) => hit,
                    None => match path.get(e, item) {
                        Value::List(items) => items.iter().any(|it| body.eval(e, Some(it))),
                        _ => false,
                    },
                }
            }
            Expr::Any(path, body) => match path.get(e, item) {
                Value::List(items) => match body {
                    None => !items.is_empty(),
                    Some(body) => items.iter().any(|it| body.eval(e, Some(it))),
                },
                _ => false,
            },
            Expr::Count(path, op, n) => {
                let len = match path.get(e, item) {
                    Value::List(items) => items.len() as i64,
                    _ => 0,
                };
                op_holds(*op, len.cmp(n))
            }
        }
    }
}

fn op_holds(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
    }
}

impl Test {
    fn eval(&self, v: &Value<'_>) -> bool {
        match self {
            Test::Cmp(CmpOp::Eq, Lit::Null) => matches!(v, Value::Null),
            Test::Cmp(CmpOp::Ne, Lit::Null) => !matches!(v, Value::Null),
            Test::Cmp(CmpOp::Eq, lit) => lit_eq(v, lit),
            // OData semantics: a null value is "not equal" to any non-null literal.
            Test::Cmp(CmpOp::Ne, lit) => !lit_eq(v, lit),
            Test::Cmp(op, lit) => cmp_lit(v, lit).is_some_and(|ord| op_holds(*op, ord)),
            Test::In(lits) => lits.iter().any(|l| lit_eq(v, l)),
            Test::StartsWith(p) => matches!(v, Value::Str(s) if ci_starts_with(s, p)),
            Test::EndsWith(p) => matches!(v, Value::Str(s) if ci_ends_with(s, p)),
        }
    }
}

fn lit_eq(v: &Value<'_>, lit: &Lit) -> bool {
    match (v, lit) {
        (Value::Str(s) | Value::Guid(s), Lit::Str(l) | Lit::Guid(l)) => ci_eq(s, l),
        _ => cmp_lit(v, lit) == Some(Ordering::Equal),
    }
}

fn cmp_lit(v: &Value<'_>, lit: &Lit) -> Option<Ordering> {
    match (v, lit) {
        (Value::Str(s) | Value::Guid(s), Lit::Str(l) | Lit::Guid(l)) => Some(ci_cmp(s, l)),
        (Value::DateTime(s) | Value::Str(s), Lit::Time(t)) => parse_timestamp(s).map(|x| x.cmp(t)),
        (Value::Int(a), Lit::Int(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    }
}
