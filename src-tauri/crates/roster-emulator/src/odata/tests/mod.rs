//! Unit tests of the query engine, against a tiny in-memory [`Entity`] implementation.

mod aq_rules;
mod filter_eval;
mod laws;
mod options;
mod search_eval;

use super::{Entity, EntitySet, ODataError, QueryPlan, RawQuery, Value, plan};

/// An owned property value for test objects.
#[derive(Debug, Clone)]
pub(super) enum Tv {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Dt(String),
    Guid(String),
    List(Vec<Tv>),
    Obj(Obj),
}

/// A test object: a property bag implementing [`Entity`].
#[derive(Debug, Clone, Default)]
pub(super) struct Obj(pub(super) Vec<(&'static str, Tv)>);

impl Tv {
    fn as_value(&self) -> Value<'_> {
        match self {
            Tv::Null => Value::Null,
            Tv::Bool(b) => Value::Bool(*b),
            Tv::Int(i) => Value::Int(*i),
            Tv::Str(s) => Value::Str(s),
            Tv::Dt(s) => Value::DateTime(s),
            Tv::Guid(s) => Value::Guid(s),
            Tv::List(items) => Value::List(items.iter().map(Tv::as_value).collect()),
            Tv::Obj(o) => Value::Object(o),
        }
    }
}

impl Entity for Obj {
    fn get(&self, property: &str) -> Option<Value<'_>> {
        self.0
            .iter()
            .find(|(k, _)| *k == property)
            .map(|(_, v)| v.as_value())
    }
}

pub(super) fn s(v: &str) -> Tv {
    Tv::Str(v.to_owned())
}

pub(super) fn dt(v: &str) -> Tv {
    Tv::Dt(v.to_owned())
}

pub(super) fn guid(v: &str) -> Tv {
    Tv::Guid(v.to_owned())
}

pub(super) fn strs(v: &[&str]) -> Tv {
    Tv::List(v.iter().map(|x| s(x)).collect())
}

pub(super) fn obj(props: &[(&'static str, Tv)]) -> Tv {
    Tv::Obj(Obj(props.to_vec()))
}

pub(super) const SKU_E5: &str = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";

/// Four users covering ASCII/non-ASCII names, guests, nulls, licenses, identities and sign-in activity.
pub(super) fn users() -> Vec<Obj> {
    vec![
        Obj(vec![
            ("id", s("u1")),
            ("displayName", s("Adele Vance")),
            ("userPrincipalName", s("AdeleV@contoso.com")),
            ("mail", s("AdeleV@contoso.com")),
            ("givenName", s("Adele")),
            ("surname", s("Vance")),
            ("jobTitle", s("Retail Manager")),
            ("department", s("Retail")),
            ("companyName", s("Contoso")),
            ("accountEnabled", Tv::Bool(true)),
            ("userType", s("Member")),
            ("createdDateTime", dt("2023-05-01T10:00:00Z")),
            ("otherMails", strs(&[])),
            (
                "proxyAddresses",
                strs(&[
                    "SMTP:AdeleV@contoso.com",
                    "smtp:adele@contoso.onmicrosoft.com",
                ]),
            ),
            ("businessPhones", strs(&["+1 425 555 0109"])),
            (
                "assignedLicenses",
                Tv::List(vec![obj(&[
                    ("skuId", guid(SKU_E5)),
                    ("disabledPlans", Tv::List(vec![])),
                ])]),
            ),
            (
                "identities",
                Tv::List(vec![obj(&[
                    ("signInType", s("userName")),
                    ("issuer", s("contoso")),
                    ("issuerAssignedId", s("j")),
                ])]),
            ),
            (
                "signInActivity",
                obj(&[("lastSignInDateTime", dt("2024-03-01T00:00:00Z"))]),
            ),
            (
                "onPremisesExtensionAttributes",
                obj(&[("extensionAttribute1", s("x"))]),
            ),
        ]),
        Obj(vec![
            ("id", s("u2")),
            ("displayName", s("Alex Wilber")),
            ("userPrincipalName", s("AlexW@contoso.com")),
            ("mail", s("AlexW@contoso.com")),
            ("givenName", s("Alex")),
            ("surname", s("Wilber")),
            ("jobTitle", s("Marketing Assistant")),
            ("department", s("Marketing")),
            ("companyName", Tv::Null),
            ("accountEnabled", Tv::Bool(false)),
            ("userType", s("Member")),
            ("createdDateTime", dt("2022-01-15T08:00:00Z")),
            ("otherMails", strs(&["alex@outlook.com"])),
            ("proxyAddresses", strs(&["SMTP:AlexW@contoso.com"])),
            ("businessPhones", strs(&[])),
            ("assignedLicenses", Tv::List(vec![])),
            ("identities", Tv::List(vec![])),
            (
                "signInActivity",
                obj(&[("lastSignInDateTime", dt("2023-06-01T12:00:00Z"))]),
            ),
            (
                "onPremisesExtensionAttributes",
                obj(&[("extensionAttribute1", Tv::Null)]),
            ),
        ]),
        Obj(vec![
            ("id", s("u3")),
            ("displayName", s("Bob Guest")),
            (
                "userPrincipalName",
                s("bob_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
            ),
            ("mail", s("bob@fabrikam.com")),
            ("givenName", s("Bob")),
            ("surname", Tv::Null),
            ("jobTitle", Tv::Null),
            ("department", Tv::Null),
            ("accountEnabled", Tv::Bool(true)),
            ("userType", s("Guest")),
            ("createdDateTime", dt("2024-02-01T00:00:00.5Z")),
            ("otherMails", strs(&["bob.personal@outlook.com"])),
            ("proxyAddresses", strs(&[])),
            ("businessPhones", strs(&[])),
            ("assignedLicenses", Tv::List(vec![])),
            ("identities", Tv::List(vec![])),
            ("signInActivity", Tv::Null),
        ]),
        Obj(vec![
            ("id", s("u4")),
            ("displayName", s("Élodie Ünal")),
            ("userPrincipalName", s("elodie@contoso.com")),
            ("mail", Tv::Null),
            ("givenName", Tv::Null),
            ("surname", s("Ünal")),
            ("jobTitle", s("Engineer")),
            ("department", s("R&D")),
            ("accountEnabled", Tv::Bool(true)),
            ("userType", Tv::Null),
            ("createdDateTime", dt("2024-02-01T00:00:00Z")),
            ("otherMails", strs(&[])),
            ("proxyAddresses", strs(&[])),
            ("businessPhones", strs(&[])),
            ("assignedLicenses", Tv::List(vec![])),
            ("identities", Tv::List(vec![])),
            ("signInActivity", Tv::Null),
        ]),
    ]
}

fn group(id: &str, name: &str, types: &[&str], mail: bool, sec: bool, desc: &str) -> Obj {
    Obj(vec![
        ("id", s(id)),
        ("displayName", s(name)),
        ("description", s(desc)),
        ("groupTypes", strs(types)),
        ("mailEnabled", Tv::Bool(mail)),
        ("securityEnabled", Tv::Bool(sec)),
        ("isAssignableToRole", Tv::Bool(false)),
        (
            "onPremisesSyncEnabled",
            if id == "g2" { Tv::Bool(true) } else { Tv::Null },
        ),
        ("createdDateTime", dt("2023-01-01T00:00:00Z")),
        ("assignedLicenses", Tv::List(vec![])),
    ])
}

/// One group of each kind in graph-api.md §5.1.
pub(super) fn groups() -> Vec<Obj> {
    vec![
        group(
            "g1",
            "Sales Team",
            &["Unified"],
            true,
            false,
            "HelloWorld sales",
        ),
        group("g2", "Security Ops", &[], false, true, "hello.world ops"),
        group("g3", "Mail Sec", &[], true, true, "Mail enabled security"),
        group(
            "g4",
            "Distribution List",
            &[],
            true,
            false,
            "hello123world list",
        ),
        group(
            "g5",
            "Dynamic Devices",
            &["DynamicMembership"],
            false,
            true,
            "HELLOworld devices",
        ),
        group(
            "g6",
            "OneVideo Drive",
            &["Unified", "DynamicMembership"],
            true,
            false,
            "One Video",
        ),
    ]
}

pub(super) fn filter(f: &str) -> RawQuery {
    RawQuery {
        filter: Some(f.to_owned()),
        ..RawQuery::default()
    }
}

/// Adds the advanced-query pair: header `ConsistencyLevel: eventual` and `$count=true`.
pub(super) fn with_aq(mut raw: RawQuery) -> RawQuery {
    raw.eventual = true;
    raw.count = Some("true".to_owned());
    raw
}

pub(super) fn plan_ok(set: EntitySet, raw: &RawQuery) -> QueryPlan {
    match plan(set, raw, None) {
        Ok(p) => p,
        Err(e) => panic!("plan failed for {raw:?}: {e}"),
    }
}

pub(super) fn plan_err(set: EntitySet, raw: &RawQuery) -> ODataError {
    match plan(set, raw, None) {
        Ok(p) => panic!("plan unexpectedly succeeded for {raw:?}: {p:?}"),
        Err(e) => e,
    }
}

/// Ids of the objects a plan matches.
pub(super) fn ids(p: &QueryPlan, objs: &[Obj]) -> Vec<String> {
    objs.iter()
        .filter(|o| p.matches(*o))
        .map(|o| match o.get("id") {
            Some(Value::Str(id)) => id.to_owned(),
            other => panic!("test object without id: {other:?}"),
        })
        .collect()
}

/// Ids of the users matching a filter (with AQ when `aq`).
pub(super) fn users_where(f: &str, aq: bool) -> Vec<String> {
    let raw = if aq { with_aq(filter(f)) } else { filter(f) };
    ids(&plan_ok(EntitySet::Users, &raw), &users())
}

/// Ids of the groups matching a filter (with AQ when `aq`).
pub(super) fn groups_where(f: &str, aq: bool) -> Vec<String> {
    let raw = if aq { with_aq(filter(f)) } else { filter(f) };
    ids(&plan_ok(EntitySet::Groups, &raw), &groups())
}
