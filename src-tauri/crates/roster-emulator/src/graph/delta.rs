//! Delta queries (graph-api.md §9): `GET /users/delta` and `GET /groups/delta`. The first round pages
//! through every object (`@odata.nextLink`), its last page carries `@odata.deltaLink`; later rounds return
//! only membership changes (`members@delta`, `@removed`). `$deltatoken=latest` returns just a deltaLink.

use std::collections::BTreeMap;

use crate::odata::{self, EntitySet, RawQuery};
use crate::tenant::Tenant;
use crate::tenant::model::{Kind, Ref};
use crate::tenant::props::{JsonOut, write_str};

use super::auth::{Caller, GROUP_READ, USER_READ};
use super::collection::{DEFAULT_PAGE, context_url, decode_skiptoken, encode_skiptoken, next_link};
use super::entity::{ItemStyle, entity, write_item};
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse};

const POS_BITS: u64 = 32;

/// `GET /users/delta`.
pub fn users(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
) -> Result<GraphResponse, GraphError> {
    caller.require_any(USER_READ)?;
    run(ctx, req, caller, Kind::User)
}

/// `GET /groups/delta`.
pub fn groups(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
) -> Result<GraphResponse, GraphError> {
    caller.require_any(GROUP_READ)?;
    run(ctx, req, caller, Kind::Group)
}

fn run(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    kind: Kind,
) -> Result<GraphResponse, GraphError> {
    let raw = req.raw_query()?;
    let mut with_members = kind == Kind::Group;
    let select = raw.select.as_deref().map(|s| {
        let names: Vec<&str> = s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        with_members =
            kind == Kind::Group && names.iter().any(|n| n.eq_ignore_ascii_case("members"));
        names
            .into_iter()
            .filter(|n| !n.eq_ignore_ascii_case("members"))
            .collect::<Vec<_>>()
            .join(",")
    });
    if raw
        .expand
        .as_deref()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("members"))
    {
        with_members = kind == Kind::Group;
    }
    let plan_raw = RawQuery {
        select: select.filter(|s| !s.is_empty()),
        filter: raw.filter.clone(),
        ..RawQuery::default()
    };
    let set = if kind == Kind::User {
        EntitySet::Users
    } else {
        EntitySet::Groups
    };
    let plan = odata::plan(set, &plan_raw, None)?;
    let tenant = ctx.tenant.read();
    let seed = tenant.seed;
    let current = tenant.changes().len() as u64;
    let set_name = if kind == Kind::User {
        "users"
    } else {
        "groups"
    };
    let mut body = Vec::with_capacity(64 * 1024);
    body.extend_from_slice(b"{\"@odata.context\":");
    write_str(
        &mut body,
        &context_url(ctx, set_name, plan.select.as_deref()),
    );
    let select = plan.select.as_deref();
    let style = |r: Ref| ItemStyle {
        select,
        with_type: false,
        limited: caller.limited(r),
        basic: caller.basic_users_only(),
    };

    if let Some(token) = req.param("$deltatoken") {
        let since = if token.eq_ignore_ascii_case("latest") {
            current
        } else {
            decode_skiptoken(seed, &token)?
        };
        let link = next_link(ctx, req, "$deltatoken", &encode_skiptoken(seed, current));
        body.extend_from_slice(b",\"@odata.deltaLink\":");
        write_str(&mut body, &link);
        body.extend_from_slice(b",\"value\":[");
        let mut items = 0;
        if kind == Kind::Group && since < current {
            let changed = net_changes(&tenant, since);
            for (n, (group, members)) in changed.iter().enumerate() {
                if n > 0 {
                    body.push(b',');
                }
                let r = Ref::new(Kind::Group, *group as usize);
                write_item(&mut body, &tenant, r, style(r), |out| {
                    write_members_delta(out, &tenant, members)
                });
                items += 1;
            }
        }
        body.extend_from_slice(b"]}");
        return Ok(GraphResponse::json(200, body).with_items(items));
    }

    let (start, base_seq) = match req.param("$skiptoken") {
        Some(token) => {
            let packed = decode_skiptoken(seed, &token)?;
            (
                (packed & ((1 << POS_BITS) - 1)) as usize,
                packed >> POS_BITS,
            )
        }
        None => (0, current),
    };
    let total = if kind == Kind::User {
        tenant.users().len()
    } else {
        tenant.groups().len()
    };
    let mut selected = Vec::with_capacity(DEFAULT_PAGE);
    let mut next = None;
    for i in start..total {
        let r = Ref::new(kind, i);
        if !plan.matches(entity(&tenant, r)) {
            continue;
        }
        if selected.len() == DEFAULT_PAGE {
            next = Some(i);
            break;
        }
        selected.push(r);
    }
    match next {
        Some(pos) => {
            let token = encode_skiptoken(seed, (base_seq << POS_BITS) | pos as u64);
            body.extend_from_slice(b",\"@odata.nextLink\":");
            write_str(&mut body, &next_link(ctx, req, "$skiptoken", &token));
        }
        None => {
            body.extend_from_slice(b",\"@odata.deltaLink\":");
            write_str(
                &mut body,
                &next_link(ctx, req, "$deltatoken", &encode_skiptoken(seed, base_seq)),
            );
        }
    }
    body.extend_from_slice(b",\"value\":[");
    for (n, &r) in selected.iter().enumerate() {
        if n > 0 {
            body.push(b',');
        }
        write_item(&mut body, &tenant, r, style(r), |out| {
            if with_members {
                let members: Vec<(Ref, bool)> = tenant.groups()[r.index()]
                    .members
                    .iter()
                    .map(|&m| (m, true))
                    .collect();
                write_members_delta(out, &tenant, &members);
            }
        });
    }
    body.extend_from_slice(b"]}");
    Ok(GraphResponse::json(200, body).with_items(selected.len()))
}

/// Per group, the net membership changes after change `since` (last action per member wins).
fn net_changes(tenant: &Tenant, since: u64) -> BTreeMap<u32, Vec<(Ref, bool)>> {
    let mut per_group: BTreeMap<u32, Vec<(Ref, bool)>> = BTreeMap::new();
    for change in tenant.changes().iter().skip(since as usize) {
        let members = per_group.entry(change.group).or_default();
        match members.iter_mut().find(|(m, _)| *m == change.member) {
            Some(entry) => entry.1 = change.added,
            None => members.push((change.member, change.added)),
        }
    }
    per_group
}

fn write_members_delta(out: &mut JsonOut<'_>, tenant: &Tenant, members: &[(Ref, bool)]) {
    out.key("members@delta");
    let buf = out.buf();
    buf.push(b'[');
    for (n, (member, added)) in members.iter().enumerate() {
        if n > 0 {
            buf.push(b',');
        }
        let mut o = JsonOut::object(buf);
        o.str("@odata.type", member.kind().odata_type());
        o.str("id", tenant.id_of(*member));
        if !added {
            o.raw("@removed", br#"{"reason":"deleted"}"#);
        }
        o.end();
    }
    buf.push(b']');
}
