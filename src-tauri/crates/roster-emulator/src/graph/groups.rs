//! `/groups`, `/groups/$count`, `/groups/{id}`, and `/groups/{id}/{members|transitiveMembers|owners}`
//! with OData casts and `$count` segments.

use crate::odata::{self, EntitySet};
use crate::tenant::Tenant;
use crate::tenant::model::{GroupKind, Kind, Ref};
use crate::tenant::props::write_str;

use super::auth::{Caller, GROUP_READ};
use super::collection::{Candidates, Listing, context_url, count_all, list as list_page, list_all};
use super::entity::{ItemStyle, entity, write_item};
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse};

/// `GET /groups`.
pub fn list(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
) -> Result<GraphResponse, GraphError> {
    list_all(ctx, req, caller, EntitySet::Groups, Kind::Group, GROUP_READ)
}

/// `GET /groups/$count` (needs `ConsistencyLevel: eventual`), `text/plain`.
pub fn count(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
) -> Result<GraphResponse, GraphError> {
    count_all(ctx, req, caller, EntitySet::Groups, Kind::Group, GROUP_READ)
}

fn find(tenant: &Tenant, id: &str) -> Result<usize, GraphError> {
    tenant
        .find_group(id)
        .ok_or_else(|| GraphError::not_found(id))
}

/// `GET /groups/{id}`.
pub fn get(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    id: &str,
) -> Result<GraphResponse, GraphError> {
    caller.require_any(GROUP_READ)?;
    let mut raw = req.raw_query()?;
    raw.count = None;
    let plan = odata::plan(EntitySet::Groups, &raw, None)?;
    let tenant = ctx.tenant.read();
    let index = find(&tenant, id)?;
    let r = Ref::new(Kind::Group, index);
    let context = format!(
        "{}/$entity",
        context_url(ctx, "groups", plan.select.as_deref())
    );
    let style = ItemStyle {
        select: plan.select.as_deref(),
        with_type: false,
        limited: false,
        basic: false,
    };
    let mut item = Vec::with_capacity(2048);
    write_item(&mut item, &tenant, r, style, |out| {
        super::expand::write_expand(out, &tenant, caller, r, &plan)
    });
    Ok(GraphResponse::json(200, with_context(&context, &item)).with_items(1))
}

/// `{"@odata.context":…,` followed by the properties of the already written object `item`.
pub fn with_context(context: &str, item: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(item.len() + context.len() + 24);
    body.extend_from_slice(b"{\"@odata.context\":");
    write_str(&mut body, context);
    if item.len() > 2 {
        body.push(b',');
    }
    body.extend_from_slice(&item[1..]);
    body
}

/// The entity set name a cast's results are reported under.
fn cast_set(kind: Kind) -> &'static str {
    match kind {
        Kind::User => "users",
        Kind::Group => "groups",
        Kind::Device => "devices",
        Kind::ServicePrincipal => "servicePrincipals",
        Kind::OrgContact => "contacts",
    }
}

/// The segments after a relationship: `[/{cast}][/$count]`, the cast a full type name
/// (`microsoft.graph.user`).
pub(super) fn cast_and_count(rest: &[&str]) -> Result<(Option<Kind>, bool), GraphError> {
    let (cast_name, count_segment) = match rest {
        [] => (None, false),
        ["$count"] => (None, true),
        [cast] => (Some(*cast), false),
        [cast, "$count"] => (Some(*cast), true),
        _ => {
            return Err(GraphError::unknown_segment(
                rest.last().copied().unwrap_or_default(),
            ));
        }
    };
    let cast = match cast_name {
        Some(name) => Some(
            Kind::parse(name)
                .filter(|_| name.starts_with("microsoft.graph."))
                .ok_or_else(|| GraphError::unknown_segment(name))?,
        ),
        None => None,
    };
    Ok((cast, count_segment))
}

/// `GET /groups/{id}/{members|transitiveMembers|owners}[/{cast}][/$count]`.
pub fn related(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    id: &str,
    relation: &str,
    rest: &[&str],
) -> Result<GraphResponse, GraphError> {
    let (cast, count_segment) = cast_and_count(rest)?;
    let tenant = ctx.tenant.read();
    let index = find(&tenant, id)?;
    if relation == "owners" {
        caller.require_any(GROUP_READ)?;
    } else {
        caller.check_read_members(&tenant, index)?;
    }
    let group = &tenant.groups()[index];
    if let Some(kind) = cast
        && relation != "owners"
        && group.kind() == GroupKind::Unified
        && kind != Kind::User
    {
        return Err(GraphError::new(
            400,
            "Request_UnsupportedQuery",
            format!(
                "The type 'microsoft.graph.{}' cannot be a member of a Microsoft 365 group: only users can.",
                kind.short_name()
            ),
        ));
    }
    let set = match relation {
        "members" => EntitySet::Members,
        "transitiveMembers" => EntitySet::TransitiveMembers,
        _ => EntitySet::DirectoryObjects,
    };
    let mut raw = req.raw_query()?;
    if count_segment {
        odata::check_count_segment(&raw)?;
        raw.count = Some("true".into());
    }
    let full_cast = cast.map(|k| format!("microsoft.graph.{}", k.short_name()));
    let plan = odata::plan(set, &raw, full_cast.as_deref())?;
    let refs = match relation {
        "members" => group.members.clone(),
        "transitiveMembers" => tenant.transitive_members(index),
        _ => group.owners.clone(),
    };
    let answer = RefsAnswer {
        refs,
        plan: &plan,
        cast,
        count_segment,
    };
    answer.respond(ctx, req, caller, &tenant)
}

/// The objects of a relationship, answered as a page of the collection or as its `$count`.
pub(super) struct RefsAnswer<'a> {
    pub(super) refs: Vec<Ref>,
    pub(super) plan: &'a odata::QueryPlan,
    pub(super) cast: Option<Kind>,
    pub(super) count_segment: bool,
}

impl RefsAnswer<'_> {
    pub(super) fn respond(
        self,
        ctx: &Ctx<'_>,
        req: &GraphRequest,
        caller: &Caller,
        tenant: &Tenant,
    ) -> Result<GraphResponse, GraphError> {
        let (plan, cast) = (self.plan, self.cast);
        if self.count_segment {
            let n = self
                .refs
                .iter()
                .filter(|r| cast.is_none_or(|k| r.kind() == k) && plan.matches(entity(tenant, **r)))
                .count();
            return Ok(GraphResponse::text(n.to_string()));
        }
        let listing = Listing {
            plan,
            context_set: cast.map_or("directoryObjects", cast_set),
            cast,
            with_type: true,
        };
        list_page(
            ctx,
            req,
            caller,
            tenant,
            Candidates::Refs(self.refs),
            listing,
        )
    }
}
