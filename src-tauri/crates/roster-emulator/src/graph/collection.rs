//! Collection responses: filtering, ordering, paging with a stateless `$skiptoken`, and the envelope of
//! graph-api.md §1.2 written with `@odata.nextLink` before `value`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::odata::{self, EntitySet, QueryPlan};
use crate::tenant::Tenant;
use crate::tenant::model::{Kind, Ref};
use crate::tenant::props::write_str;

use super::auth::Caller;
use super::entity::{ItemStyle, entity, write_item};
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse};

/// Default page size of directory collections.
pub const DEFAULT_PAGE: usize = 100;

/// The objects a collection request runs over, in natural order.
pub enum Candidates {
    /// Every user.
    Users(usize),
    /// Every group.
    Groups(usize),
    /// An explicit list (members, owners, owned objects...).
    Refs(Vec<Ref>),
    /// The users at these positions of an index (`Tenant::users_by_upn`): a range of it.
    Indexed(std::sync::Arc<[u32]>, std::ops::Range<usize>),
}

impl Candidates {
    fn len(&self) -> usize {
        match self {
            Candidates::Users(n) | Candidates::Groups(n) => *n,
            Candidates::Refs(r) => r.len(),
            Candidates::Indexed(_, range) => range.len(),
        }
    }

    fn get(&self, i: usize) -> Ref {
        match self {
            Candidates::Users(_) => Ref::new(Kind::User, i),
            Candidates::Groups(_) => Ref::new(Kind::Group, i),
            Candidates::Refs(r) => r[i],
            Candidates::Indexed(order, range) => {
                Ref::new(Kind::User, order[range.start + i] as usize)
            }
        }
    }
}

/// What a listing needs besides its candidates.
pub struct Listing<'a> {
    /// The compiled query.
    pub plan: &'a QueryPlan,
    /// Entity set named in `@odata.context` (`users`, `groups`, `directoryObjects`).
    pub context_set: &'a str,
    /// Only objects of this kind (an OData cast).
    pub cast: Option<Kind>,
    /// Whether items carry `@odata.type`.
    pub with_type: bool,
}

const TOKEN_MAGIC: &[u8; 4] = b"RSTK";

fn token_mac(seed: u64, pos: u64, issued: u64) -> [u8; 8] {
    let mut h = Sha256::new();
    h.update(b"roster-emulator skiptoken");
    h.update(seed.to_le_bytes());
    h.update(pos.to_le_bytes());
    h.update(issued.to_le_bytes());
    let digest = h.finalize();
    let mut mac = [0u8; 8];
    mac.copy_from_slice(&digest[..8]);
    mac
}

/// An opaque, stateless `$skiptoken` for position `pos` (it never expires).
pub fn encode_skiptoken(seed: u64, pos: u64) -> String {
    let issued = chrono::Utc::now().timestamp().max(0) as u64;
    let mut bytes = Vec::with_capacity(28);
    bytes.extend_from_slice(TOKEN_MAGIC);
    bytes.extend_from_slice(&pos.to_le_bytes());
    bytes.extend_from_slice(&issued.to_le_bytes());
    bytes.extend_from_slice(&token_mac(seed, pos, issued));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The position in a `$skiptoken`, or the 400 Graph answers for a token it did not issue.
pub fn decode_skiptoken(seed: u64, token: &str) -> Result<u64, GraphError> {
    let invalid = || GraphError::bad_request("Invalid page token.");
    let bytes = URL_SAFE_NO_PAD
        .decode(token.trim().trim_matches('\''))
        .map_err(|_| invalid())?;
    if bytes.len() != 28 || &bytes[..4] != TOKEN_MAGIC {
        return Err(invalid());
    }
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let (pos, issued) = (word(4), word(12));
    if bytes[20..28] != token_mac(seed, pos, issued) {
        return Err(invalid());
    }
    Ok(pos)
}

/// The `@odata.nextLink` for `req` continuing at `token`: the same path and every original query option
/// except an old `$skiptoken`.
pub fn next_link(ctx: &Ctx<'_>, req: &GraphRequest, token_name: &str, token: &str) -> String {
    let mut link = format!("{}/v1.0/{}?", ctx.base_url, req.path);
    for part in req.query.split('&').filter(|p| !p.is_empty()) {
        let key = part.split('=').next().unwrap_or_default();
        let key = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
        if key.eq_ignore_ascii_case("$skiptoken") || key.eq_ignore_ascii_case("$deltatoken") {
            continue;
        }
        link.push_str(part);
        link.push('&');
    }
    link.push_str(token_name);
    link.push('=');
    link.push_str(token);
    link
}

/// `…/$metadata#set` or `…/$metadata#set(a,b)`.
pub fn context_url(ctx: &Ctx<'_>, set: &str, select: Option<&[String]>) -> String {
    match select {
        Some(select) => format!(
            "{}/v1.0/$metadata#{set}({})",
            ctx.base_url,
            select.join(",")
        ),
        None => format!("{}/v1.0/$metadata#{set}", ctx.base_url),
    }
}

/// The page size a plan asks for.
fn page_size(plan: &QueryPlan) -> usize {
    plan.top.unwrap_or(DEFAULT_PAGE)
}

/// Serves one page of a collection.
pub fn list(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    tenant: &Tenant,
    candidates: Candidates,
    listing: Listing<'_>,
) -> Result<GraphResponse, GraphError> {
    let plan = listing.plan;
    let start = match req.param("$skiptoken") {
        Some(token) => decode_skiptoken(tenant.seed, &token)? as usize,
        None => 0,
    };
    let size = page_size(plan);
    let accept = |r: Ref| {
        listing.cast.is_none_or(|k| r.kind() == k)
            && !tenant.is_deleted(r)
            && plan.matches(entity(tenant, r))
    };
    let mut selected: Vec<Ref> = Vec::with_capacity(size.min(1000));
    let mut next: Option<usize> = None;
    let mut count: Option<usize> = None;
    if plan.has_order() {
        let mut all: Vec<Ref> = (0..candidates.len())
            .map(|i| candidates.get(i))
            .filter(|&r| accept(r))
            .collect();
        all.sort_by(|&a, &b| plan.compare(entity(tenant, a), entity(tenant, b)));
        if plan.count && start == 0 {
            count = Some(all.len());
        }
        let end = (start + size).min(all.len());
        if start < end {
            selected.extend_from_slice(&all[start..end]);
        }
        if end < all.len() {
            next = Some(end);
        }
    } else {
        let mut i = start;
        while i < candidates.len() {
            let r = candidates.get(i);
            if accept(r) {
                if selected.len() == size {
                    next = Some(i);
                    break;
                }
                selected.push(r);
            }
            i += 1;
        }
        if plan.count && start == 0 {
            count = Some(match next {
                None => selected.len(),
                Some(from) => {
                    selected.len()
                        + (from..candidates.len())
                            .filter(|&i| accept(candidates.get(i)))
                            .count()
                }
            });
        }
    }
    let select = plan.select.as_deref();
    let next_link = next.map(|pos| {
        next_link(
            ctx,
            req,
            "$skiptoken",
            &encode_skiptoken(tenant.seed, pos as u64),
        )
    });
    let mut body = Vec::with_capacity(64 + selected.len() * 400);
    body.extend_from_slice(b"{\"@odata.context\":");
    write_str(&mut body, &context_url(ctx, listing.context_set, select));
    if let Some(count) = count {
        body.extend_from_slice(format!(",\"@odata.count\":{count}").as_bytes());
    }
    if let Some(link) = &next_link {
        body.extend_from_slice(b",\"@odata.nextLink\":");
        write_str(&mut body, link);
    }
    body.extend_from_slice(b",\"value\":[");
    let basic = caller.basic_users_only();
    for (n, &r) in selected.iter().enumerate() {
        if n > 0 {
            body.push(b',');
        }
        let style = ItemStyle {
            select,
            with_type: listing.with_type,
            limited: caller.limited(r),
            basic,
        };
        write_item(&mut body, tenant, r, style, |out| {
            super::expand::write_expand(out, tenant, caller, r, plan)
        });
    }
    body.extend_from_slice(b"]}");
    Ok(GraphResponse::json(200, body).with_items(selected.len()))
}

/// `GET /users` or `GET /groups`: a page of every object of `kind` (entity set `set`), for callers with
/// one of `permissions`.
pub fn list_all(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    set: EntitySet,
    kind: Kind,
    permissions: &[&str],
) -> Result<GraphResponse, GraphError> {
    caller.require_any(permissions)?;
    let plan = odata::plan(set, &req.raw_query()?, None)?;
    if plan.sign_in_activity {
        caller.require_any(super::auth::SIGN_IN_ACTIVITY_READ)?;
    }
    let tenant = ctx.tenant.read();
    let (context_set, candidates) = match kind {
        Kind::Group => ("groups", Candidates::Groups(tenant.groups().len())),
        _ => ("users", user_candidates(&tenant, &plan)),
    };
    let listing = Listing {
        plan: &plan,
        context_set,
        cast: None,
        with_type: false,
    };
    list(ctx, req, caller, &tenant, candidates, listing)
}

/// The users a listing or count tests: those in the `userPrincipalName` range the filter's
/// `ge`/`le` tests give, read from the UPN index as Graph reads its own (in UPN order), or every
/// user (in the tenant's order) when the filter gives none or `$orderby` decides the order.
fn user_candidates(tenant: &Tenant, plan: &odata::QueryPlan) -> Candidates {
    match plan.string_bounds("userPrincipalName") {
        Some((lower, upper)) if !plan.has_order() => {
            Candidates::Indexed(tenant.users_by_upn(), tenant.upn_range(lower, upper))
        }
        _ => Candidates::Users(tenant.users().len()),
    }
}

/// `GET /users/$count` or `GET /groups/$count` (needs `ConsistencyLevel: eventual`), `text/plain`.
pub fn count_all(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
    set: EntitySet,
    kind: Kind,
    permissions: &[&str],
) -> Result<GraphResponse, GraphError> {
    caller.require_any(permissions)?;
    let raw = req.raw_query()?;
    odata::check_count_segment(&raw)?;
    let unfiltered = raw.filter.as_deref().is_none_or(|f| f.trim().is_empty());
    let plan = odata::plan(
        set,
        &odata::RawQuery {
            count: Some("true".into()),
            ..raw
        },
        None,
    )?;
    let tenant = ctx.tenant.read();
    let candidates = match kind {
        Kind::Group => Candidates::Groups(tenant.groups().len()),
        _ => user_candidates(&tenant, &plan),
    };
    let n = (0..candidates.len())
        .map(|i| candidates.get(i))
        .filter(|&r| !tenant.is_deleted(r) && plan.matches(entity(&tenant, r)))
        .count() as u64;
    let lag = match kind {
        Kind::User if unfiltered => tenant.count_lag,
        _ => 0,
    };
    Ok(GraphResponse::text(n.saturating_sub(lag).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skiptokens_round_trip_and_reject_forgeries() {
        let token = encode_skiptoken(5, 12_345);
        assert_eq!(decode_skiptoken(5, &token), Ok(12_345));
        assert!(decode_skiptoken(6, &token).is_err());
        assert!(decode_skiptoken(5, "garbage").is_err());
        let mut forged = URL_SAFE_NO_PAD.decode(&token).unwrap_or_default();
        forged[4] ^= 1;
        assert!(decode_skiptoken(5, &URL_SAFE_NO_PAD.encode(forged)).is_err());
    }
}
