//! `$expand=manager` on users and `$expand=members|owners` on groups: at most 20 related objects, no
//! nextLink (graph-api.md §3.3).

use crate::odata::QueryPlan;
use crate::tenant::Tenant;
use crate::tenant::model::{Kind, Ref};
use crate::tenant::props::JsonOut;

use super::auth::Caller;
use super::entity::{ItemStyle, write_item};

/// The most related objects an `$expand` returns.
pub const EXPAND_LIMIT: usize = 20;

/// Appends the expanded navigation property of `r` (if the plan asks for one that `r` has).
pub fn write_expand(
    out: &mut JsonOut<'_>,
    tenant: &Tenant,
    caller: &Caller,
    r: Ref,
    plan: &QueryPlan,
) {
    let Some(expand) = &plan.expand else { return };
    let select = expand.select.as_deref();
    let basic = caller.basic_users_only();
    let style = |m: Ref| ItemStyle {
        select,
        with_type: true,
        limited: caller.limited(m),
        basic,
    };
    match (r.kind(), expand.property.as_str()) {
        (Kind::User, "manager") => {
            if let Some(manager) = tenant.users()[r.index()].manager {
                let m = Ref::new(Kind::User, manager as usize);
                out.key("manager");
                write_item(out.buf(), tenant, m, style(m), |_| {});
            }
        }
        (Kind::Group, "members" | "owners") => {
            let g = &tenant.groups()[r.index()];
            let hidden = g.is_hidden_membership() && !caller.has_any(&["Member.Read.Hidden"]);
            let related: &[Ref] = match expand.property.as_str() {
                "members" if hidden => &[],
                "members" => &g.members,
                _ => &g.owners,
            };
            out.key(&expand.property);
            let buf = out.buf();
            buf.push(b'[');
            for (n, &m) in related.iter().take(EXPAND_LIMIT).enumerate() {
                if n > 0 {
                    buf.push(b',');
                }
                write_item(buf, tenant, m, style(m), |_| {});
            }
            buf.push(b']');
        }
        _ => {}
    }
}
