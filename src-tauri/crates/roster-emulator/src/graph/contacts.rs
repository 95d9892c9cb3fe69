//! `GET /contacts`: the tenant's organisational contacts (`orgContact`), with `$filter` (for
//! example `mail eq '...'` or `mail in (...)`), `$select`, `$top` and paging, as Graph serves it.
//! Needs `OrgContact.Read.All` or `Directory.Read.All` (graph-api.md: `/contacts` lists
//! orgContacts).

use crate::odata::{self, EntitySet};
use crate::tenant::model::{Kind, Ref};

use super::auth::Caller;
use super::collection::{Candidates, Listing, list};
use super::error::GraphError;
use super::{Ctx, GraphRequest, GraphResponse};

/// Permissions that may read organisational contacts.
pub const CONTACT_READ: &[&str] = &[
    "OrgContact.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// `GET /contacts`.
pub fn list_contacts(
    ctx: &Ctx<'_>,
    req: &GraphRequest,
    caller: &Caller,
) -> Result<GraphResponse, GraphError> {
    caller.require_any(CONTACT_READ)?;
    let plan = odata::plan(
        EntitySet::DirectoryObjects,
        &req.raw_query()?,
        Some("microsoft.graph.orgContact"),
    )?;
    let tenant = ctx.tenant.read();
    let refs = (0..tenant.contacts().len())
        .map(|i| Ref::new(Kind::OrgContact, i))
        .collect();
    let listing = Listing {
        plan: &plan,
        context_set: "contacts",
        cast: Some(Kind::OrgContact),
        with_type: false,
    };
    list(ctx, req, caller, &tenant, Candidates::Refs(refs), listing)
}
