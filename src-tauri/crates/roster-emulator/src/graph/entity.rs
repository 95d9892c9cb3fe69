//! The tenant's objects as the query engine sees them ([`Entity`]) and as responses show them (JSON
//! written straight into the page buffer).

use crate::odata::{Entity, Value};
use crate::tenant::Tenant;
use crate::tenant::model::{
    Device, Group, Kind, OrgContact, Ref, ServicePrincipal, SignInActivity, Text, User,
};
use crate::tenant::names::SKUS;
use crate::tenant::props::{
    DEVICE_DEFAULT, EXTENSION_ATTRIBUTE_NAMES, JsonOut, ORG_CONTACT_DEFAULT, Prop,
    SERVICE_PRINCIPAL_DEFAULT, USER_BASIC,
};

fn to_value(p: Prop<'_>) -> Value<'_> {
    match p {
        Prop::Null => Value::Null,
        Prop::Bool(b) => Value::Bool(b),
        Prop::Str(s) => Value::Str(s),
        Prop::Date(s) => Value::DateTime(s),
        Prop::Guid(id) => Value::Guid(id.as_str()),
        Prop::Strs(items) => Value::List(items.iter().map(|s| Value::Str(s)).collect()),
        Prop::StaticStrs(items) => Value::List(items.iter().map(|s| Value::Str(s)).collect()),
        Prop::SignIn(s) => Value::Object(s),
        Prop::ExtensionAttributes(Some(a)) => Value::Object(a),
        Prop::ExtensionAttributes(None) => Value::Object(&NO_EXTENSION_ATTRIBUTES),
        Prop::Licenses(l, _) => Value::List(
            l.iter()
                .map(|&i| Value::Object(&SKU_ENTITIES[i as usize % 3]))
                .collect(),
        ),
        Prop::Identities(_) | Prop::EmptyList => Value::List(Vec::new()),
    }
}

static NO_EXTENSION_ATTRIBUTES: [Text; 15] = [
    None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
];

struct Sku(usize);

static SKU_ENTITIES: [Sku; 3] = [Sku(0), Sku(1), Sku(2)];

impl Entity for Sku {
    fn get(&self, property: &str) -> Option<Value<'_>> {
        match property {
            "skuId" => Some(Value::Guid(SKUS[self.0])),
            "disabledPlans" => Some(Value::List(Vec::new())),
            _ => None,
        }
    }
}

impl Entity for [Text; 15] {
    fn get(&self, property: &str) -> Option<Value<'_>> {
        let n = EXTENSION_ATTRIBUTE_NAMES
            .iter()
            .position(|n| *n == property)?;
        Some(self[n].as_deref().map_or(Value::Null, Value::Str))
    }
}

impl Entity for SignInActivity {
    fn get(&self, property: &str) -> Option<Value<'_>> {
        Some(match property {
            "lastSignInDateTime" => Value::DateTime(self.last_sign_in.as_str()),
            "lastNonInteractiveSignInDateTime" => {
                Value::DateTime(self.last_non_interactive.as_str())
            }
            "lastSuccessfulSignInDateTime" => Value::DateTime(self.last_successful.as_str()),
            "lastSignInRequestId"
            | "lastNonInteractiveSignInRequestId"
            | "lastSuccessfulSignInRequestId" => Value::Str(self.request_id.as_str()),
            _ => return None,
        })
    }
}

macro_rules! entity_via_prop {
    ($($t:ty),*) => {$(
        impl Entity for $t {
            fn get(&self, property: &str) -> Option<Value<'_>> {
                self.prop(property).map(to_value)
            }
        }
    )*};
}

entity_via_prop!(User, Group, Device, ServicePrincipal, OrgContact);

/// The object behind `r` as a query-engine entity.
pub fn entity(tenant: &Tenant, r: Ref) -> &dyn Entity {
    match r.kind() {
        Kind::User => &tenant.users()[r.index()],
        Kind::Group => &tenant.groups()[r.index()],
        Kind::Device => &tenant.devices()[r.index()],
        Kind::ServicePrincipal => &tenant.service_principals()[r.index()],
        Kind::OrgContact => &tenant.contacts()[r.index()],
    }
}

/// A property of the object behind `r`.
pub fn prop<'t>(tenant: &'t Tenant, r: Ref, name: &str) -> Option<Prop<'t>> {
    match r.kind() {
        Kind::User => tenant.users()[r.index()].prop(name),
        Kind::Group => tenant.groups()[r.index()].prop(name),
        Kind::Device => tenant.devices()[r.index()].prop(name),
        Kind::ServicePrincipal => tenant.service_principals()[r.index()].prop(name),
        Kind::OrgContact => tenant.contacts()[r.index()].prop(name),
    }
}

/// The default property set of a kind.
pub fn default_props(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::User => crate::odata::USER_DEFAULT_PROPERTIES,
        Kind::Group => crate::odata::GROUP_DEFAULT_PROPERTIES,
        Kind::Device => DEVICE_DEFAULT,
        Kind::ServicePrincipal => SERVICE_PRINCIPAL_DEFAULT,
        Kind::OrgContact => ORG_CONTACT_DEFAULT,
    }
}

/// How one item is written.
#[derive(Debug, Clone, Copy)]
pub struct ItemStyle<'s> {
    /// `$select`, or `None` for the kind's default set.
    pub select: Option<&'s [String]>,
    /// Write `@odata.type` first (directoryObject collections).
    pub with_type: bool,
    /// Limited information: `@odata.type` and `id`, every other property `null`.
    pub limited: bool,
    /// Only the basic user profile is readable (other user properties `null`).
    pub basic: bool,
}

/// Writes the object behind `r` as a JSON object into `buf`; returns the properties written via `extra`
/// before closing, so callers can append e.g. an expanded navigation property.
pub fn write_item(
    buf: &mut Vec<u8>,
    tenant: &Tenant,
    r: Ref,
    style: ItemStyle<'_>,
    extra: impl FnOnce(&mut JsonOut<'_>),
) {
    let mut out = JsonOut::object(buf);
    if style.with_type || style.limited {
        out.str("@odata.type", r.kind().odata_type());
    }
    let defaults = default_props(r.kind());
    let mut write = |name: &str| {
        let Some(value) = prop(tenant, r, name) else {
            return;
        };
        let hidden = name != "id"
            && (style.limited
                || (style.basic && r.kind() == Kind::User && !USER_BASIC.contains(&name)));
        out.prop(name, if hidden { Prop::Null } else { value });
    };
    match style.select {
        Some(select) => select.iter().for_each(|n| write(n)),
        None => defaults.iter().for_each(|n| write(n)),
    }
    extra(&mut out);
    out.end();
}
