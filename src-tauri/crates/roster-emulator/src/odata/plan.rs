//! Builds a [`QueryPlan`] from raw query options: validates every option, applies Graph's advanced query
//! (AQ) gate and compiles `$filter`, `$search` and `$orderby`.

use std::cmp::Ordering;

use super::compile::{self, AqNeed, Scope, not_found};
use super::expr::{Expr, Lit, Root, Test};
use super::meta::{EntityType, is_collection_only_forbidden};
use super::order::{self, OrderContext, OrderKey, SortKey};
use super::parse::CmpOp;
use super::parse::parse_filter;
use super::search::{self, Search};
use super::{Entity, EntitySet, Expand, ODataError, QueryPlan, RawQuery};

/// The private, compiled part of a plan.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) advanced: bool,
    filter: Option<Expr>,
    search: Option<Search>,
    order: Vec<OrderKey>,
}

impl Compiled {
    /// The bounds the filter's top-level `ge` and `le` tests put on string property `property`
    /// (both inclusive, as the filter's lowercased literals): an index may narrow the objects to
    /// test to that range; the whole filter is still tested on each.
    pub(crate) fn string_bounds(&self, property: &str) -> Option<(Option<&str>, Option<&str>)> {
        let filter = self.filter.as_ref()?;
        let conjuncts = match filter {
            Expr::And(items) => items.as_slice(),
            one => std::slice::from_ref(one),
        };
        let (mut lower, mut upper): (Option<&str>, Option<&str>) = (None, None);
        for conjunct in conjuncts {
            let Expr::Test(path, Test::Cmp(op, Lit::Str(literal))) = conjunct else {
                continue;
            };
            if path.root != Root::Entity || path.segs.as_ref() != [property] {
                continue;
            }
            match op {
                CmpOp::Ge => lower = lower.max(Some(&**literal)),
                CmpOp::Le => upper = Some(upper.map_or(&**literal, |u| u.min(literal))),
                _ => {}
            }
        }
        (lower.is_some() || upper.is_some()).then_some((lower, upper))
    }

    pub(crate) fn matches(&self, e: &dyn Entity) -> bool {
        self.filter.as_ref().is_none_or(|f| f.eval(e, None))
            && self.search.as_ref().is_none_or(|s| s.matches(e))
    }

    pub(crate) fn has_order(&self) -> bool {
        !self.order.is_empty()
    }

    pub(crate) fn compare(&self, a: &dyn Entity, b: &dyn Entity) -> Ordering {
        order::compare(&self.order, a, b)
    }

    pub(crate) fn sort_key(&self, e: &dyn Entity) -> SortKey {
        order::sort_key(&self.order, e)
    }
}

/// Graph's message when an operator needs an advanced query.
pub(crate) fn aq_message(op: &str) -> String {
    format!(
        "Operator '{op}' is not supported because the required parameters might be missing. Try adding $count=true \
         query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries \
         for more information"
    )
}

const SEARCH_NEEDS_HEADER: &str = "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'";

pub(crate) fn single(t: EntityType) -> &'static [EntityType] {
    match t {
        EntityType::User => &[EntityType::User],
        EntityType::Group => &[EntityType::Group],
        EntityType::Device => &[EntityType::Device],
        EntityType::ServicePrincipal => &[EntityType::ServicePrincipal],
        EntityType::OrgContact => &[EntityType::OrgContact],
    }
}

fn is_members_like(set: EntitySet) -> bool {
    matches!(
        set,
        EntitySet::Members
            | EntitySet::TransitiveMembers
            | EntitySet::OwnedObjects
            | EntitySet::MemberOf
    )
}

fn scope_for(set: EntitySet, cast: Option<&str>) -> Result<Scope, ODataError> {
    let bad_segment =
        |c: &str| ODataError::bad_request(format!("Resource not found for the segment '{c}'."));
    let types = match (set, cast) {
        (EntitySet::Users, None) => single(EntityType::User),
        (EntitySet::Groups, None) => single(EntityType::Group),
        (EntitySet::Devices, None) => single(EntityType::Device),
        (_, None) => &EntityType::ALL,
        (s, Some(c)) if is_members_like(s) || s == EntitySet::DirectoryObjects => {
            single(EntityType::from_cast(c).ok_or_else(|| bad_segment(c))?)
        }
        (_, Some(c)) => return Err(bad_segment(c)),
    };
    Ok(Scope { types })
}

/// Treats blank options as absent.
fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn build(
    set: EntitySet,
    raw: &RawQuery,
    cast: Option<&str>,
) -> Result<QueryPlan, ODataError> {
    let scope = scope_for(set, cast)?;
    let members_like = is_members_like(set);
    let count_requested = match opt(&raw.count) {
        None => false,
        Some(c) if c.eq_ignore_ascii_case("true") => true,
        Some(c) if c.eq_ignore_ascii_case("false") => false,
        Some(c) => {
            return Err(ODataError::bad_request(format!(
                "Invalid value '{c}' for $count: expected 'true' or 'false'."
            )));
        }
    };
    // `$count=true` without the header is silently ignored (200, no @odata.count).
    let aq = raw.eventual && count_requested;

    if cast.is_some() && members_like && !aq {
        return Err(ODataError::unsupported(aq_message("cast")));
    }

    let search = match opt(&raw.search) {
        None => None,
        Some(_) if !raw.eventual => return Err(ODataError::unsupported(SEARCH_NEEDS_HEADER)),
        Some(_) if members_like && !aq => {
            return Err(ODataError::unsupported(aq_message("$search")));
        }
        Some(s) => Some(search::compile(s, &scope)?),
    };
    let advanced = aq || (raw.eventual && search.is_some());

    let mut sign_in_activity = false;
    let filter = match opt(&raw.filter) {
        None => None,
        Some(src) => {
            let compiled = compile::compile(&parse_filter(src)?, scope)?;
            if members_like && !aq {
                return Err(ODataError::unsupported(aq_message(compiled.first_op)));
            }
            if let (true, Some(p)) = (aq, compiled.aq_forbidden) {
                return Err(ODataError::unsupported(format!(
                    "Unsupported or invalid query filter clause specified for property '{p}' of resource '{}'.",
                    scope.resource()
                )));
            }
            match compiled.aq_need {
                Some(_) if aq => {}
                None => {}
                Some(AqNeed::Operator(op)) => return Err(ODataError::unsupported(aq_message(op))),
                Some(AqNeed::Property(p)) => {
                    return Err(ODataError::unsupported(format!(
                        "Unsupported or invalid query filter clause specified for property '{p}' of resource '{}'.",
                        scope.resource()
                    )));
                }
            }
            sign_in_activity |= compiled.uses_sign_in_activity;
            Some(compiled.expr)
        }
    };

    let order = match opt(&raw.orderby) {
        None => Vec::new(),
        Some(src) => {
            let cx = OrderContext {
                scope,
                members_like,
                aq,
                has_filter: filter.is_some(),
            };
            order::parse_orderby(src, cx)?
        }
    };

    let select = match opt(&raw.select) {
        None => None,
        Some(src) => Some(select(src, scope, set == EntitySet::Users)?),
    };
    sign_in_activity |= select
        .as_ref()
        .is_some_and(|s| s.iter().any(|p| p == "signInActivity"));

    let expand = match opt(&raw.expand) {
        None => None,
        // With $search Graph answers, oddly, with its "header missing" message even though the header is
        // there (microsoftgraph/microsoft-graph-docs-contrib issue 2577).
        Some(_) if advanced && search.is_some() => {
            return Err(ODataError::unsupported(SEARCH_NEEDS_HEADER));
        }
        Some(_) if advanced => {
            return Err(ODataError::unsupported(
                "$expand is not supported together with advanced query parameters (ConsistencyLevel: eventual with \
                 $count=true or $search). Remove $expand or the advanced query parameters.",
            ));
        }
        Some(src) => Some(expand(src, set)?),
    };

    let top = match opt(&raw.top) {
        None => None,
        Some(t) => Some(top(t, sign_in_activity)?),
    };

    Ok(QueryPlan {
        top,
        select,
        count: aq,
        expand,
        sign_in_activity,
        inner: Compiled {
            advanced,
            filter,
            search,
            order,
        },
    })
}

/// The page size of `$top=t`: 1 to 999 (graph-api.md §3.4), and with `signInActivity` at most
/// 500 (Learn "List users", 2025: "the maximum page size is 500"), refused in the words Graph used
/// when that bound was 120 ("Cannot query data for more than 120 users at a time.",
/// microsoftgraph/msgraph-sdk-powershell issue 1898, 2023).
fn top(t: &str, sign_in_activity: bool) -> Result<usize, ODataError> {
    match t.parse::<usize>() {
        Ok(n) if sign_in_activity && (501..=999).contains(&n) => Err(ODataError::unsupported(
            "Cannot query data for more than 500 users at a time.",
        )),
        Ok(n) if (1..=999).contains(&n) => Ok(n),
        _ => Err(ODataError::unsupported(format!(
            "Invalid page size specified: '{t}'. Must be between 1 and 999 inclusive."
        ))),
    }
}

/// Validates a `$select` list: names are case-insensitive and come back canonical, without duplicates.
pub(crate) fn select(
    src: &str,
    scope: Scope,
    user_collection: bool,
) -> Result<Vec<String>, ODataError> {
    let mut out: Vec<String> = Vec::new();
    for name in src.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let def = scope.property(name)?;
        if user_collection && is_collection_only_forbidden(def.name) {
            // Graph's own answer (observed: microsoftgraph/microsoft-graph-docs-contrib issue 5637).
            return Err(ODataError::not_implemented(
                "This operation target is not yet supported.",
            ));
        }
        if !out.iter().any(|p| p == def.name) {
            out.push(def.name.to_owned());
        }
    }
    Ok(out)
}

/// Validates `$expand`: one navigation property (`manager` on users, `members`/`owners` on groups),
/// optionally with a nested `($select=...)`.
fn expand(src: &str, set: EntitySet) -> Result<Expand, ODataError> {
    let mut depth = 0i32;
    if src.chars().any(|c| {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        c == ',' && depth == 0
    }) {
        // Graph's wording (microsoftgraph/microsoft-graph-docs-contrib issue 8352).
        return Err(ODataError::bad_request(
            "The result of parsing $expand contained at least 2 items, but the maximum allowed is 1.",
        ));
    }
    let (name, options) = match src.split_once('(') {
        None => (src.trim(), None),
        Some((name, rest)) => {
            let inner = rest.trim_end().strip_suffix(')').ok_or_else(|| {
                ODataError::bad_request(format!("Invalid $expand clause '{src}': missing ')'."))
            })?;
            (name.trim(), Some(inner))
        }
    };
    let (allowed, parent): (&[&str], EntityType) = match set {
        EntitySet::Users => (&["manager"], EntityType::User),
        EntitySet::Groups => (&["members", "owners"], EntityType::Group),
        EntitySet::Devices => (&[], EntityType::Device),
        _ => (&[], EntityType::User),
    };
    let Some(property) = allowed.iter().find(|a| a.eq_ignore_ascii_case(name)) else {
        let type_name = if matches!(
            set,
            EntitySet::Users | EntitySet::Groups | EntitySet::Devices
        ) {
            parent.qualified_name()
        } else {
            "microsoft.graph.directoryObject"
        };
        return Err(not_found(name, type_name));
    };
    let select = match options {
        None => None,
        Some(opts) => {
            let value = opts
                .split_once('=')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("$select"))
                .map(|(_, v)| v)
                .ok_or_else(|| {
                    ODataError::bad_request(format!(
                        "Invalid $expand clause '{src}': only a nested $select is supported."
                    ))
                })?;
            let target = if *property == "manager" {
                single(EntityType::User)
            } else {
                &EntityType::ALL
            };
            Some(select(value, Scope { types: target }, false)?)
        }
    };
    Ok(Expand {
        property: (*property).to_owned(),
        select,
    })
}
