//! Membership writes (graph-api.md §6.2, §6.3): `POST /groups/{id}/members/$ref`,
//! `DELETE /groups/{id}/members/{id}/$ref`, `DELETE /groups/{id}/members/{id}` (deletes the member), and `PATCH /groups/{id}` with `members@odata.bind`.

use crate::tenant::AccountRole;
use crate::tenant::model::Kind;

use super::auth::Caller;
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse, parse_json_body};

/// Most references one `members@odata.bind` may carry.
pub const BIND_LIMIT: usize = 20;

/// The object id at the end of a reference URL (`https://graph.microsoft.com/v1.0/directoryObjects/{id}`).
fn id_from_reference(reference: &str) -> Result<String, GraphError> {
    let trimmed = reference.trim().trim_end_matches('/');
    let (collection, id) = trimmed
        .rsplit_once('/')
        .map(|(head, id)| (head.rsplit('/').next().unwrap_or_default(), id))
        .ok_or_else(|| {
            GraphError::bad_request(format!("Invalid object identifier '{reference}'."))
        })?;
    let known = [
        "directoryObjects",
        "users",
        "groups",
        "devices",
        "servicePrincipals",
        "servicePrincipal",
        "contacts",
        "orgContact",
        "orgContacts",
    ];
    if !known.iter().any(|k| k.eq_ignore_ascii_case(collection))
        || uuid::Uuid::parse_str(id).is_err()
    {
        return Err(GraphError::bad_request(format!(
            "Invalid object identifier '{id}'."
        )));
    }
    Ok(id.to_owned())
}

fn group_index(ctx: &Ctx<'_>, id: &str) -> Result<usize, GraphError> {
    ctx.tenant
        .read()
        .find_group(id)
        .ok_or_else(|| GraphError::not_found(id))
}

/// `POST /groups/{id}/members/$ref` with `{"@odata.id": "…/directoryObjects/{id}"}`.
pub fn add(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    id: &str,
) -> Result<GraphResponse, GraphError> {
    let group = group_index(ctx, id)?;
    let body = parse_json_body(req)?;
    let reference = body
        .get("@odata.id")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| GraphError::bad_request("Invalid request body: '@odata.id' is missing."))?;
    let member = id_from_reference(reference)?;
    let mut tenant = ctx.tenant.write();
    caller.check_write_members(&tenant, group)?;
    let members = [member];
    caller.check_member_types(&tenant.validate_adds(group, &members)?)?;
    tenant.add_members(group, &members, &caller.actor())?;
    ctx.stats.writes(1);
    Ok(GraphResponse::no_content())
}

/// `DELETE /groups/{id}/members/{member}/$ref`.
pub fn remove(
    ctx: &Ctx<'_>,
    caller: &Caller,
    id: &str,
    member: &str,
) -> Result<GraphResponse, GraphError> {
    let group = group_index(ctx, id)?;
    let mut tenant = ctx.tenant.write();
    caller.check_write_members(&tenant, group)?;
    tenant.remove_member(group, member, &caller.actor())?;
    ctx.stats.writes(1);
    Ok(GraphResponse::no_content())
}

/// The permissions that let a caller delete an object of kind `kind` (graph-api.md §6.3).
fn delete_permissions(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::User => &["User.ReadWrite.All", "Directory.ReadWrite.All"],
        Kind::Group => &["Group.ReadWrite.All", "Directory.ReadWrite.All"],
        Kind::Device => &["Device.ReadWrite.All", "Directory.ReadWrite.All"],
        Kind::ServicePrincipal => &["Application.ReadWrite.All", "Directory.ReadWrite.All"],
        Kind::OrgContact => &["Directory.ReadWrite.All"],
    }
}

/// `DELETE /groups/{id}/members/{member}` (no `/$ref`): deletes the member object itself when the
/// caller has rights over its type (and, delegated, is an administrator), else 403.
pub fn delete_member_object(
    ctx: &Ctx<'_>,
    caller: &Caller,
    id: &str,
    member: &str,
) -> Result<GraphResponse, GraphError> {
    let group = group_index(ctx, id)?;
    let mut tenant = ctx.tenant.write();
    caller.check_write_members(&tenant, group)?;
    let r = tenant
        .find_id(member)
        .filter(|r| tenant.groups()[group].members.contains(r))
        .ok_or_else(|| GraphError::not_found(member))?;
    caller.require_any(delete_permissions(r.kind()))?;
    if !caller.is_app() && caller.role != AccountRole::Admin {
        return Err(GraphError::forbidden());
    }
    tenant.delete_object(r, &caller.actor());
    ctx.stats.writes(1);
    Ok(GraphResponse::no_content())
}

/// `PATCH /groups/{id}`: `members@odata.bind` (at most 20, all or nothing); `displayName` and
/// `description` are updated too; `membershipRule` on a dynamic group replaces its rule and its
/// members become the users it matches (Entra processes rules asynchronously; the emulator at once).
/// Changing a rule needs `Group.ReadWrite.All` or `Directory.ReadWrite.All` (group update,
/// Microsoft Graph v1.0) and an administrator or the group's owner.
pub fn patch(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    id: &str,
) -> Result<GraphResponse, GraphError> {
    let group = group_index(ctx, id)?;
    let body = parse_json_body(req)?;
    let object = body
        .as_object()
        .ok_or_else(|| GraphError::bad_request("Invalid request body: expected a JSON object."))?;
    let mut members = Vec::new();
    if let Some(binds) = object.get("members@odata.bind") {
        let binds = binds.as_array().ok_or_else(|| {
            GraphError::bad_request("'members@odata.bind' must be an array of reference URLs.")
        })?;
        if binds.len() > BIND_LIMIT {
            return Err(GraphError::bad_request(format!(
                "The request contains {} references in 'members@odata.bind'; at most {BIND_LIMIT} can be added in one request.",
                binds.len()
            )));
        }
        for bind in binds {
            let url = bind
                .as_str()
                .ok_or_else(|| GraphError::bad_request("Reference URLs must be strings."))?;
            members.push(id_from_reference(url)?);
        }
    }
    let mut tenant = ctx.tenant.write();
    if !members.is_empty() {
        caller.check_write_members(&tenant, group)?;
        caller.check_member_types(&tenant.validate_adds(group, &members)?)?;
        tenant.add_members(group, &members, &caller.actor())?;
        ctx.stats.writes(members.len() as u64);
    }
    let text = |key: &str| {
        object
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(|s| s.to_owned().into_boxed_str())
    };
    if let Some(rule) = object.get("membershipRule") {
        let rule = rule
            .as_str()
            .ok_or_else(|| GraphError::bad_request("'membershipRule' must be a string."))?;
        caller.require_any(&["Group.ReadWrite.All", "Directory.ReadWrite.All"])?;
        let owner = caller.user.is_some_and(|u| tenant.is_owner(u, group));
        if caller.role != crate::tenant::AccountRole::Admin && !owner {
            return Err(GraphError::forbidden());
        }
        tenant.set_membership_rule(group, rule, &caller.actor())?;
        ctx.stats.writes(1);
    }
    let (name, description) = (text("displayName"), text("description"));
    if name.is_some() || description.is_some() {
        caller.check_write_members(&tenant, group)?;
        let g = &mut tenant.groups[group];
        if let Some(name) = name {
            g.display_name = name;
        }
        if let Some(description) = description {
            g.description = Some(description);
        }
    }
    Ok(GraphResponse::no_content())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_urls_yield_ids() {
        let id = "84b80893-8749-40a3-97b7-68513b600544";
        assert_eq!(
            id_from_reference(&format!(
                "https://graph.microsoft.com/v1.0/directoryObjects/{id}"
            )),
            Ok(id.into())
        );
        assert_eq!(
            id_from_reference(&format!("http://127.0.0.1:9/v1.0/users/{id}/")),
            Ok(id.into())
        );
        assert!(
            id_from_reference("https://graph.microsoft.com/v1.0/directoryObjects/not-a-guid")
                .is_err()
        );
        assert!(
            id_from_reference(&format!("https://graph.microsoft.com/v1.0/sites/{id}")).is_err()
        );
    }
}
