//! The emulator's OData query engine: parses and evaluates the query options (`$filter`, `$search`,
//! `$orderby`, `$top`, `$select`, `$count`, `$expand`) that Microsoft Graph's directory endpoints accept,
//! enforcing Graph's "advanced query" (AQ) rules and returning Graph's own error codes and messages.
//!
//! The routes call [`plan`] once per request to validate the options and compile a [`QueryPlan`]; the plan
//! is then evaluated against the tenant's objects through the [`Entity`] trait ([`QueryPlan::matches`],
//! [`QueryPlan::compare`]). Property names are resolved against a table generated from Microsoft's CSDL
//! ([`schema`]), so validation errors name properties exactly as Graph does.
//!
//! Behaviour choices where the reference (graph-api.md) is silent or unverified:
//! - AQ means the header `ConsistencyLevel: eventual` **and** `$count=true`; `$search` needs only the
//!   header, except on members/transitiveMembers/ownedObjects where everything but `$expand` needs AQ.
//! - `gt`/`lt` are accepted wherever the tables allow `ge`/`le`; `in` wherever `eq` is.
//! - `x ne 'v'` is true when `x` is null (OData semantics); `eq null`/`ne null` need AQ everywhere.
//! - Properties that "all need AQ" and `collection/$count` filters, when sent without AQ, get the
//!   "Unsupported or invalid query filter clause specified for property …" message; `ne`, `not`,
//!   `endsWith` and `eq null`/`ne null` get the "Operator '…' is not supported because the required
//!   parameters might be missing…" message (same pattern for `eq`/`ne` on null and for a members cast).
//! - `hasMembersWithLicenseErrors` filters only *without* AQ (observed behaviour, see `rules.rs`).
//! - `$orderby`: nulls sort first ascending and last descending; strings compare case-insensitively.
//! - `$expand` together with AQ is refused with 400 `Request_UnsupportedQuery`.

pub mod meta;
pub mod schema;

mod compile;
mod expr;
mod order;
mod parse;
mod plan;
mod rules;
mod search;
mod text;
pub(crate) use text::{ci_cmp, ci_cmp_both};

#[cfg(test)]
mod tests;

pub use order::SortKey;
pub use search::tokenize as search_tokens;

use std::cmp::Ordering;
use std::fmt;

pub use meta::{
    EntityType, GROUP_DEFAULT_PROPERTIES, GROUP_FILTER_ONLY_PROPERTIES,
    GROUP_OBSERVED_DEFAULT_PROPERTIES, USER_DEFAULT_PROPERTIES, USER_SINGLE_ONLY_PROPERTIES,
    default_properties, find_property, is_collection_only_forbidden, property_defs,
};

/// A property value as the engine sees it. Collections of strings (`otherMails`, `proxyAddresses`,
/// `businessPhones`, `groupTypes`) are `List(Str..)`; complex values (`signInActivity`, `assignedLicenses`
/// items, `onPremisesExtensionAttributes`) are `Object`.
#[derive(Clone)]
pub enum Value<'a> {
    /// No value (JSON `null`).
    Null,
    /// `Edm.Boolean`.
    Bool(bool),
    /// `Edm.Int32` / `Edm.Int64`.
    Int(i64),
    /// `Edm.String` (and enum members, compared as strings).
    Str(&'a str),
    /// `Edm.DateTimeOffset`: ISO 8601 UTC as stored, e.g. `2024-01-01T00:00:00Z`.
    DateTime(&'a str),
    /// `Edm.Guid` in its usual hyphenated text form.
    Guid(&'a str),
    /// A collection of values.
    List(Vec<Value<'a>>),
    /// A complex value (or a nested entity), read through the same trait.
    Object(&'a dyn Entity),
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Str(s) => write!(f, "Str({s:?})"),
            Value::DateTime(s) => write!(f, "DateTime({s:?})"),
            Value::Guid(s) => write!(f, "Guid({s:?})"),
            Value::List(items) => f.debug_tuple("List").field(items).finish(),
            Value::Object(_) => f.write_str("Object(..)"),
        }
    }
}

/// Implemented by the core's user, group, device, servicePrincipal and orgContact types (and by their
/// complex values) so the engine can read properties without knowing the tenant model.
pub trait Entity {
    /// The value of `property` (canonical camelCase name, as in the CSDL); `None` when the object has no
    /// such property (e.g. `userPrincipalName` on a group), `Some(Value::Null)` when it is unset.
    fn get(&self, property: &str) -> Option<Value<'_>>;

    /// Optional allocation-free access to a collection property for `any(...)` filters: call `test` on
    /// each item and return `Some(true)` as soon as it returns true, `Some(false)` if none did, or `None`
    /// (the default) to let the engine fall back to [`Entity::get`] and its `Value::List`.
    fn any_item(&self, property: &str, test: &mut dyn FnMut(&Value<'_>) -> bool) -> Option<bool> {
        let _ = (property, test);
        None
    }
}

/// Which collection a query runs on; decides the property rules, the AQ requirements and the sort rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntitySet {
    /// `GET /users`.
    Users,
    /// `GET /groups`.
    Groups,
    /// `GET /groups/{id}/members` (everything but `$expand` needs AQ).
    Members,
    /// `GET /groups/{id}/transitiveMembers` (same rules as `Members`).
    TransitiveMembers,
    /// `GET /users/{id}/ownedObjects` (an AQ-only relationship, treated like `Members`).
    OwnedObjects,
    /// `GET /users/{id}/memberOf` and `/transitiveMemberOf`: `$search`, `$filter`, `$orderby` and
    /// casts need AQ (Learn "List a user's direct memberships", request headers).
    MemberOf,
    /// `GET /devices`.
    Devices,
    /// Any other `directoryObject` collection (e.g. `getByIds` results).
    DirectoryObjects,
}

/// Raw query options as received (already percent-decoded), plus whether the request carried the
/// `ConsistencyLevel: eventual` header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawQuery {
    /// `$select`.
    pub select: Option<String>,
    /// `$filter`.
    pub filter: Option<String>,
    /// `$search`.
    pub search: Option<String>,
    /// `$orderby`.
    pub orderby: Option<String>,
    /// `$top`.
    pub top: Option<String>,
    /// `$count` (`true`/`false`).
    pub count: Option<String>,
    /// `$expand`.
    pub expand: Option<String>,
    /// Whether the request had the header `ConsistencyLevel: eventual`.
    pub eventual: bool,
}

/// A validated `$expand`: one navigation property, optionally with its own `$select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expand {
    /// Canonical navigation property name: `manager`, `members` or `owners`.
    pub property: String,
    /// Canonical names from the nested `($select=...)`, if any.
    pub select: Option<Vec<String>>,
}

/// A validated, compiled query, cheap to evaluate over many entities.
pub struct QueryPlan {
    /// `$top`, validated against the set's page-size limits; `None` means the default page size (100).
    pub top: Option<usize>,
    /// Canonical property names from `$select`; `None` means the type's default property set.
    pub select: Option<Vec<String>>,
    /// Whether the response must carry `@odata.count` (only true with `ConsistencyLevel: eventual`).
    pub count: bool,
    /// `$expand`, if any.
    pub expand: Option<Expand>,
    /// Whether `signInActivity` is selected or filtered on: Graph then pages at most 500 users
    /// and wants AuditLog.Read.All.
    pub sign_in_activity: bool,
    inner: plan::Compiled,
}

impl fmt::Debug for QueryPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryPlan")
            .field("top", &self.top)
            .field("select", &self.select)
            .field("count", &self.count)
            .field("expand", &self.expand)
            .finish_non_exhaustive()
    }
}

impl QueryPlan {
    /// Whether `e` passes both `$filter` and `$search` (true when neither was given).
    pub fn matches(&self, e: &dyn Entity) -> bool {
        self.inner.matches(e)
    }

    /// The range the filter's top-level `ge`/`le` tests put on string property `property`, both
    /// bounds inclusive and lowercased (see `Compiled::string_bounds`).
    pub fn string_bounds(&self, property: &str) -> Option<(Option<&str>, Option<&str>)> {
        self.inner.string_bounds(property)
    }

    /// Whether `$orderby` was given (otherwise the caller keeps its natural order).
    pub fn has_order(&self) -> bool {
        self.inner.has_order()
    }

    /// Orders two entities by the `$orderby` keys (case-insensitive strings; nulls first when ascending,
    /// last when descending); `Equal` when there is no `$orderby`.
    pub fn compare(&self, a: &dyn Entity, b: &dyn Entity) -> Ordering {
        self.inner.compare(a, b)
    }

    /// The entity's owned `$orderby` key (read once per entity), for
    /// `items.sort_by_cached_key(|e| plan.sort_key(e))` on large collections; orders like [`Self::compare`].
    pub fn sort_key(&self, e: &dyn Entity) -> SortKey {
        self.inner.sort_key(e)
    }

    /// Whether the request is served as an advanced query (header `ConsistencyLevel: eventual` plus
    /// `$count=true`, or the header plus `$search`).
    pub fn is_advanced(&self) -> bool {
        self.inner.advanced
    }
}

/// Validates the query options of a request on `set` and compiles them.
///
/// `cast` is the OData cast segment, e.g. `Some("microsoft.graph.user")` for
/// `/groups/{id}/members/microsoft.graph.user`; a cast on members/transitiveMembers needs AQ.
pub fn plan(set: EntitySet, raw: &RawQuery, cast: Option<&str>) -> Result<QueryPlan, ODataError> {
    plan::build(set, raw, cast)
}

/// Validates a `$select` list against the CSDL properties of `t` (case-insensitive; returns canonical
/// names without duplicates). With `on_collection`, the user properties only a single-user GET returns
/// are refused with 501, as on `GET /users`; single-object routes pass `false`.
pub fn validate_select(
    t: EntityType,
    select: &str,
    on_collection: bool,
) -> Result<Vec<String>, ODataError> {
    let scope = compile::Scope {
        types: plan::single(t),
    };
    plan::select(select, scope, on_collection && t == EntityType::User)
}

/// Validates a `$count` path segment request (`GET /users/$count`): Graph requires the
/// `ConsistencyLevel: eventual` header and answers 400 otherwise.
pub fn check_count_segment(raw: &RawQuery) -> Result<(), ODataError> {
    if raw.eventual {
        Ok(())
    } else {
        Err(ODataError::bad_request(
            "$count is not currently supported.",
        ))
    }
}

/// An error in Graph's terms; the core renders the `{"error":{"code","message","innerError"}}` envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ODataError {
    /// HTTP status (400, 501).
    pub status: u16,
    /// Graph's `error.code`, e.g. `Request_UnsupportedQuery`.
    pub code: &'static str,
    /// Graph's `error.message`.
    pub message: String,
}

impl ODataError {
    /// 400 `Request_BadRequest`: malformed query options, unknown properties.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ODataError {
            status: 400,
            code: "Request_BadRequest",
            message: message.into(),
        }
    }

    /// 400 `Request_UnsupportedQuery`: a well-formed query Graph refuses (AQ missing, unsupported operator).
    pub fn unsupported(message: impl Into<String>) -> Self {
        ODataError {
            status: 400,
            code: "Request_UnsupportedQuery",
            message: message.into(),
        }
    }

    /// 501 `NotImplemented`: e.g. `$select` of a single-object-only user property on a collection.
    pub fn not_implemented(message: impl Into<String>) -> Self {
        ODataError {
            status: 501,
            code: "NotImplemented",
            message: message.into(),
        }
    }
}
