//! `GET /users/{id | upn}/memberOf` and `/transitiveMemberOf`, with the `microsoft.graph.group`
//! cast and `$count` segments.
//!
//! Learn "List a user's direct memberships" and "List a user's memberships (direct and
//! transitive)": groups, directory roles and administrative units (this tenant has only groups);
//! `$search`, `$filter`, `$orderby` and casts need `ConsistencyLevel: eventual` with `$count=true`;
//! pages of 100 by default, at most 999. Permissions for another user's memberships: delegated
//! `User.Read.All` or higher; application `Directory.Read.All` for `memberOf`, `User.Read.All` for
//! `transitiveMemberOf` (each with its higher ones). A user reads their own with any token.

use crate::odata::{self, EntitySet};
use crate::tenant::model::{Kind, Ref};

use super::auth::Caller;
use super::error::GraphError;
use super::groups::{RefsAnswer, cast_and_count};
use super::{Ctx, GraphRequest, GraphResponse};

/// Delegated permissions that read another user's memberships.
const DELEGATED: &[&str] = &[
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "GroupMember.Read.All",
    "Group.Read.All",
];
/// Application permissions for `memberOf`.
const APP_DIRECT: &[&str] = &["Directory.Read.All", "Directory.ReadWrite.All"];
/// Application permissions for `transitiveMemberOf`.
const APP_TRANSITIVE: &[&str] = &[
    "User.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "Group.Read.All",
    "GroupMember.Read.All",
];

/// `GET /users/{key}/{memberOf|transitiveMemberOf}[/{cast}][/$count]`.
pub fn list(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    key: &str,
    relation: &str,
    rest: &[&str],
) -> Result<GraphResponse, GraphError> {
    let (cast, count_segment) = cast_and_count(rest)?;
    let transitive = relation == "transitiveMemberOf";
    let tenant = ctx.tenant.read();
    let user = tenant
        .find_user(key)
        .ok_or_else(|| GraphError::not_found(key))?;
    if caller.user != Some(user) {
        let allowed = match (caller.is_app(), transitive) {
            (false, _) => DELEGATED,
            (true, false) => APP_DIRECT,
            (true, true) => APP_TRANSITIVE,
        };
        caller.require_any(allowed)?;
    }
    let mut raw = req.raw_query()?;
    if count_segment {
        odata::check_count_segment(&raw)?;
        raw.count = Some("true".into());
    }
    let full_cast = cast.map(|k| format!("microsoft.graph.{}", k.short_name()));
    let plan = odata::plan(EntitySet::MemberOf, &raw, full_cast.as_deref())?;
    let me = Ref::new(Kind::User, user);
    let groups = if transitive {
        tenant.transitive_member_of(me)
    } else {
        tenant.member_of(me)
    };
    let refs: Vec<Ref> = groups
        .into_iter()
        .map(|g| Ref::new(Kind::Group, g))
        .collect();
    let answer = RefsAnswer {
        refs,
        plan: &plan,
        cast,
        count_segment,
    };
    answer.respond(ctx, req, caller, &tenant)
}
