//! `/users`, `/users/$count`, `/users/{id|upn}`, `/users/{id}/manager`, `/users/{id}/ownedObjects`,
//! `/users/{id}/authentication/{phoneMethods|emailMethods}` (and the same under `/me`).

use crate::odata::{self, EntitySet};
use crate::tenant::model::{EMAIL_METHOD_ID, Kind, Ref};
use crate::tenant::props::{JsonOut, write_str};

use super::auth::{AUTH_METHODS_READ, Caller, USER_READ};
use super::collection::{Candidates, Listing, context_url, count_all, list as list_page, list_all};
use super::entity::{ItemStyle, write_item};
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse};

/// `GET /users`.
pub fn list(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
) -> Result<GraphResponse, GraphError> {
    list_all(ctx, req, caller, EntitySet::Users, Kind::User, USER_READ)
}

/// `GET /users/$count` (needs `ConsistencyLevel: eventual`), `text/plain`.
pub fn count(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
) -> Result<GraphResponse, GraphError> {
    count_all(ctx, req, caller, EntitySet::Users, Kind::User, USER_READ)
}

fn find(ctx: &Ctx<'_>, key: &str) -> Result<usize, GraphError> {
    ctx.tenant
        .read()
        .find_user(key)
        .ok_or_else(|| GraphError::not_found(key))
}

/// `GET /users/{id | userPrincipalName}`.
pub fn get(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    key: &str,
) -> Result<GraphResponse, GraphError> {
    let index = find(ctx, key)?;
    if caller.user != Some(index) {
        caller.require_any(USER_READ)?;
    }
    let raw = req.raw_query()?;
    // Single-object-only properties are fine here: validate the rest through the engine.
    let single_only: Vec<String> = raw
        .select
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| odata::is_collection_only_forbidden(p))
        .map(str::to_owned)
        .collect();
    let stripped = raw.select.as_deref().map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|p| !odata::is_collection_only_forbidden(p))
            .collect::<Vec<_>>()
            .join(",")
    });
    let mut plan_raw = raw.clone();
    plan_raw.select = stripped.filter(|s| !s.is_empty());
    plan_raw.count = None;
    let plan = odata::plan(EntitySet::Users, &plan_raw, None)?;
    if plan.sign_in_activity {
        caller.require_any(super::auth::SIGN_IN_ACTIVITY_READ)?;
    }
    let mut select = plan.select.clone();
    if !single_only.is_empty() {
        select.get_or_insert_with(Vec::new).extend(single_only);
    }
    let tenant = ctx.tenant.read();
    let r = Ref::new(Kind::User, index);
    let mut body = Vec::with_capacity(1024);
    let context = format!("{}/$entity", context_url(ctx, "users", select.as_deref()));
    let limited = caller.limited(r) && caller.user != Some(index);
    let style = ItemStyle {
        select: select.as_deref(),
        with_type: false,
        limited,
        basic: caller.basic_users_only(),
    };
    write_item(&mut body, &tenant, r, style, |out| {
        super::expand::write_expand(out, &tenant, caller, r, &plan);
    });
    let mut full = Vec::with_capacity(body.len() + context.len() + 24);
    full.extend_from_slice(b"{\"@odata.context\":");
    write_str(&mut full, &context);
    if body.len() > 2 {
        full.push(b',');
    }
    full.extend_from_slice(&body[1..]);
    Ok(GraphResponse::json(200, full).with_items(1))
}

/// `GET /users/{id}/manager`.
pub fn manager(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    key: &str,
) -> Result<GraphResponse, GraphError> {
    caller.require_any(USER_READ)?;
    let index = find(ctx, key)?;
    let plan = odata::plan(EntitySet::DirectoryObjects, &req.raw_query()?, None)?;
    let tenant = ctx.tenant.read();
    let manager = tenant.users()[index]
        .manager
        .ok_or_else(|| GraphError::not_found("manager"))?;
    let r = Ref::new(Kind::User, manager as usize);
    let mut body = Vec::with_capacity(1024);
    let mut out = JsonOut::object(&mut body);
    out.str(
        "@odata.context",
        &format!("{}/v1.0/$metadata#directoryObjects/$entity", ctx.base_url),
    );
    out.end();
    body.pop();
    body.push(b',');
    let style = ItemStyle {
        select: plan.select.as_deref(),
        with_type: true,
        limited: caller.limited(r),
        basic: false,
    };
    let mut item = Vec::new();
    write_item(&mut item, &tenant, r, style, |_| {});
    body.extend_from_slice(&item[1..]);
    Ok(GraphResponse::json(200, body).with_items(1))
}

/// `GET /users/{id}/ownedObjects[/microsoft.graph.group]` (delegated or app; the limited-information rule
/// applies per item).
pub fn owned_objects(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    key: &str,
    rest: &[&str],
) -> Result<GraphResponse, GraphError> {
    let index = find(ctx, key)?;
    if caller.user != Some(index) {
        caller.require_any(USER_READ)?;
    }
    let cast = match rest {
        [] => None,
        [cast] => Some(Kind::parse(cast).ok_or_else(|| GraphError::unknown_segment(cast))?),
        _ => {
            return Err(GraphError::unknown_segment(
                rest.last().copied().unwrap_or_default(),
            ));
        }
    };
    let cast_name = rest.first().copied();
    let plan = odata::plan(EntitySet::OwnedObjects, &req.raw_query()?, cast_name)?;
    let tenant = ctx.tenant.read();
    let refs: Vec<Ref> = tenant
        .owned_groups(index)
        .iter()
        .map(|&g| Ref::new(Kind::Group, g as usize))
        .collect();
    let context_set = match cast {
        Some(Kind::Group) => "groups",
        Some(_) => "directoryObjects",
        None => "directoryObjects",
    };
    let listing = Listing {
        plan: &plan,
        context_set,
        cast,
        with_type: true,
    };
    list_page(ctx, req, caller, &tenant, Candidates::Refs(refs), listing)
}

/// `GET /users/{id}/authentication/phoneMethods | emailMethods`.
pub fn auth_methods(
    ctx: &Ctx<'_>,
    caller: &Caller,
    key: &str,
    kind: &str,
) -> Result<GraphResponse, GraphError> {
    let index = find(ctx, key)?;
    let own = caller.user == Some(index);
    if !own {
        caller.require_any(AUTH_METHODS_READ)?;
        if !caller.is_app() && caller.role != crate::tenant::AccountRole::Admin {
            return Err(GraphError::forbidden());
        }
    }
    let tenant = ctx.tenant.read();
    let user = &tenant.users()[index];
    let base = format!(
        "{}/v1.0/$metadata#users('{}')/authentication",
        ctx.base_url,
        user.id()
    );
    let mut body = Vec::with_capacity(512);
    body.extend_from_slice(b"{\"@odata.context\":");
    let items = match kind {
        "phoneMethods" => {
            write_str(&mut body, &format!("{base}/phoneMethods"));
            body.extend_from_slice(b",\"value\":[");
            for (n, (phone_type, number)) in user.phone_methods.iter().enumerate() {
                if n > 0 {
                    body.push(b',');
                }
                let mut o = JsonOut::object(&mut body);
                o.str("id", phone_type.method_id());
                o.str("phoneNumber", number);
                o.str("phoneType", phone_type.name());
                o.str(
                    "smsSignInState",
                    if *phone_type == crate::tenant::model::PhoneType::Mobile {
                        "ready"
                    } else {
                        "notSupported"
                    },
                );
                o.end();
            }
            user.phone_methods.len()
        }
        "emailMethods" => {
            write_str(&mut body, &format!("{base}/emailMethods"));
            body.extend_from_slice(b",\"value\":[");
            if let Some(email) = &user.email_method {
                let mut o = JsonOut::object(&mut body);
                o.str("id", EMAIL_METHOD_ID);
                o.str("emailAddress", email);
                o.end();
            }
            usize::from(user.email_method.is_some())
        }
        other => return Err(GraphError::unknown_segment(other)),
    };
    body.extend_from_slice(b"]}");
    Ok(GraphResponse::json(200, body).with_items(items))
}
