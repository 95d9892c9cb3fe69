//! `$orderby`: parsing and validation of the sort keys, the comparison the routes sort with, and an
//! owned [`SortKey`] for sorting large collections with one property read per entity.
//!
//! Order rules: strings compare case-insensitively, timestamps by instant, and `null` (or a missing
//! property) sorts **first** when ascending and last when descending, as SQL's default does for
//! ascending keys (Graph does not document its choice).

use std::cmp::Ordering;

use super::compile::{Scope, not_found};
use super::expr::{Path, Root};
use super::meta::{find_complex_property, is_collection, is_complex};
use super::rules::default_sortable;
use super::text::{ci_cmp_both, parse_timestamp};
use super::{Entity, ODataError, Value};

/// Graph's answer to a sort it cannot serve.
pub(crate) const SORTING_NOT_SUPPORTED: &str = "Sorting not supported for current query.";

/// One validated `$orderby` key.
#[derive(Debug)]
pub(crate) struct OrderKey {
    path: Path,
    desc: bool,
}

/// The AQ context `$orderby` is validated in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrderContext {
    pub(crate) scope: Scope,
    /// members/transitiveMembers/ownedObjects: nothing sorts without AQ.
    pub(crate) members_like: bool,
    pub(crate) aq: bool,
    pub(crate) has_filter: bool,
}

/// Parses `prop [asc|desc], ...` and applies Graph's rules: without AQ only users' `displayName` and
/// `userPrincipalName` and groups' `displayName` sort, and never together with `$filter`.
pub(crate) fn parse_orderby(src: &str, cx: OrderContext) -> Result<Vec<OrderKey>, ODataError> {
    let mut keys = Vec::new();
    for item in src.split(',').map(str::trim) {
        let mut words = item.split_whitespace();
        let (Some(path), dir, None) = (words.next(), words.next(), words.next()) else {
            return Err(ODataError::bad_request(format!(
                "Invalid $orderby clause '{item}'."
            )));
        };
        let desc = match dir.map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(ODataError::bad_request(format!(
                    "Invalid $orderby direction '{other}': use 'asc' or 'desc'."
                )));
            }
        };
        let mut segs = path.split('/');
        let first = cx.scope.property(segs.next().unwrap_or_default())?;
        let mut names = vec![first.name];
        let mut edm = first.edm;
        for seg in segs {
            let def = find_complex_property(edm, seg).ok_or_else(|| not_found(seg, edm))?;
            names.push(def.name);
            edm = def.edm;
        }
        if is_collection(edm) || is_complex(edm) {
            return Err(ODataError::bad_request(
                "The $orderby expression must evaluate to a single value of primitive type.",
            ));
        }
        let sortable_by_default = names.len() == 1
            && !cx.members_like
            && cx
                .scope
                .types
                .iter()
                .all(|t| default_sortable(*t, first.name));
        if !cx.aq && (cx.has_filter || !sortable_by_default) {
            return Err(ODataError::unsupported(SORTING_NOT_SUPPORTED));
        }
        if cx.aq && !sortable_by_default && cx.scope.rule(first.name).is_none() {
            return Err(ODataError::unsupported(SORTING_NOT_SUPPORTED));
        }
        keys.push(OrderKey {
            path: Path {
                root: Root::Entity,
                segs: names.into(),
            },
            desc,
        });
    }
    Ok(keys)
}

/// Compares two entities by the keys.
pub(crate) fn compare(keys: &[OrderKey], a: &dyn Entity, b: &dyn Entity) -> Ordering {
    for key in keys {
        let ord = cmp_values(&key.path.get(a, None), &key.path.get(b, None));
        let ord = if key.desc { ord.reverse() } else { ord };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// The owned sort key of one entity.
pub(crate) fn sort_key(keys: &[OrderKey], e: &dyn Entity) -> SortKey {
    SortKey(
        keys.iter()
            .map(|k| (KeyPart::of(&k.path.get(e, None)), k.desc))
            .collect(),
    )
}

/// Rank of a value's kind, so values of different kinds still order totally (null first).
fn rank(v: &Value<'_>) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Int(_) => 2,
        Value::DateTime(_) => 3,
        Value::Str(_) | Value::Guid(_) => 4,
        Value::List(_) => 5,
        Value::Object(_) => 6,
    }
}

/// Orders two property values: nulls first, strings case-insensitively, timestamps by instant.
pub(crate) fn cmp_values(a: &Value<'_>, b: &Value<'_>) -> Ordering {
    match (a, b) {
        (Value::Str(x) | Value::Guid(x), Value::Str(y) | Value::Guid(y)) => ci_cmp_both(x, y),
        (Value::DateTime(x), Value::DateTime(y)) => parse_timestamp(x).cmp(&parse_timestamp(y)),
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// An entity's `$orderby` key, computed once (strings lower-cased, timestamps parsed) so a large
/// collection sorts with `sort_by_cached_key(|e| plan.sort_key(e))` instead of reading properties in
/// every comparison. Orders exactly like [`super::QueryPlan::compare`] for ASCII text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey(Vec<(KeyPart, bool)>);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum KeyPart {
    Null,
    Bool(bool),
    Int(i64),
    Time(Option<i64>),
    Text(Box<str>),
    Other(u8),
}

impl KeyPart {
    fn of(v: &Value<'_>) -> KeyPart {
        match v {
            Value::Null => KeyPart::Null,
            Value::Bool(b) => KeyPart::Bool(*b),
            Value::Int(i) => KeyPart::Int(*i),
            Value::DateTime(s) => KeyPart::Time(parse_timestamp(s)),
            Value::Str(s) | Value::Guid(s) => KeyPart::Text(s.to_lowercase().into()),
            other => KeyPart::Other(rank(other)),
        }
    }
}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortKey {
    fn cmp(&self, other: &Self) -> Ordering {
        for ((a, desc), (b, _)) in self.0.iter().zip(&other.0) {
            let ord = a.cmp(b);
            let ord = if *desc { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}
