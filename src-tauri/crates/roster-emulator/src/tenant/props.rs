//! Property access by Graph name, the default property sets of devices, service principals and
//! contacts (users' and groups' live in [`crate::odata`]), and the JSON writer that serialises
//! selected properties straight into a response buffer.

use super::model::{Device, Group, Id, OrgContact, ServicePrincipal, SignInActivity, Text, User};
use super::names::SKUS;

/// A property value as stored, borrowed from the tenant.
#[derive(Debug, Clone, Copy)]
pub enum Prop<'a> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(&'a str),
    /// A `DateTimeOffset` (`2024-01-01T00:00:00Z`).
    Date(&'a str),
    /// A GUID (lowercase hex and hyphens: written without escaping or UTF-8 checks).
    Guid(&'a Id),
    /// A string collection.
    Strs(&'a [Box<str>]),
    /// A fixed string collection.
    StaticStrs(&'static [&'static str]),
    /// `signInActivity`.
    SignIn(&'a SignInActivity),
    /// `onPremisesExtensionAttributes` (`None` = every attribute null).
    ExtensionAttributes(Option<&'a [Text; 15]>),
    /// `assignedLicenses` as indexes into the SKU table, of the user with this id (which decides
    /// the disabled plans: `graph::skus::disabled_plans`).
    Licenses(&'a [u8], &'a str),
    /// `identities` of a user.
    Identities(&'a User),
    /// An empty collection (properties the emulator does not model).
    EmptyList,
}

fn text(t: &Text) -> Prop<'_> {
    t.as_deref().map_or(Prop::Null, Prop::Str)
}

fn stat(t: Option<&'static str>) -> Prop<'static> {
    t.map_or(Prop::Null, Prop::Str)
}

/// The default property set of devices.
pub const DEVICE_DEFAULT: &[&str] = &[
    "id",
    "deletedDateTime",
    "accountEnabled",
    "approximateLastSignInDateTime",
    "deviceId",
    "displayName",
    "isCompliant",
    "isManaged",
    "operatingSystem",
    "operatingSystemVersion",
    "registrationDateTime",
    "trustType",
];

/// The default property set of service principals.
pub const SERVICE_PRINCIPAL_DEFAULT: &[&str] = &[
    "id",
    "deletedDateTime",
    "accountEnabled",
    "appId",
    "appDisplayName",
    "createdDateTime",
    "displayName",
    "servicePrincipalType",
    "signInAudience",
    "tags",
];

/// The default property set of organizational contacts.
pub const ORG_CONTACT_DEFAULT: &[&str] = &[
    "id",
    "deletedDateTime",
    "companyName",
    "department",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mailNickname",
    "surname",
    "proxyAddresses",
];

/// Properties a caller with only `User.ReadBasic.All` may see.
pub const USER_BASIC: &[&str] = &[
    "id",
    "displayName",
    "givenName",
    "surname",
    "mail",
    "userPrincipalName",
];

impl User {
    /// The value of the property named `name` (canonical camelCase), `None` if users have no such property.
    pub fn prop(&self, name: &str) -> Option<Prop<'_>> {
        Some(match name {
            "id" => Prop::Guid(&self.id),
            "userPrincipalName" => Prop::Str(&self.user_principal_name),
            "displayName" => Prop::Str(&self.display_name),
            "givenName" => text(&self.given_name),
            "surname" => text(&self.surname),
            "mail" => text(&self.mail),
            "mailNickname" => Prop::Str(&self.mail_nickname),
            "jobTitle" => text(&self.job_title),
            "department" => text(&self.department),
            "companyName" => text(&self.company_name),
            "officeLocation" => text(&self.office_location),
            "streetAddress" => text(&self.street_address),
            "city" => text(&self.city),
            "state" => text(&self.state),
            "country" => text(&self.country),
            "postalCode" => text(&self.postal_code),
            "usageLocation" => stat(self.usage_location),
            "mobilePhone" => text(&self.mobile_phone),
            "faxNumber" => text(&self.fax_number),
            "businessPhones" => Prop::Strs(&self.business_phones),
            "otherMails" => Prop::Strs(&self.other_mails),
            "proxyAddresses" => Prop::Strs(&self.proxy_addresses),
            "imAddresses" => Prop::Strs(&self.im_addresses),
            "preferredLanguage" => stat(self.preferred_language),
            "userType" => Prop::Str(if self.guest { "Guest" } else { "Member" }),
            "creationType" => stat(self.guest.then_some("Invitation")),
            "externalUserState" => stat(self.external_user_state),
            "externalUserStateChangeDateTime" => self
                .external_user_state_change
                .as_ref()
                .map_or(Prop::Null, |s| Prop::Date(s.as_str())),
            "accountEnabled" => Prop::Bool(self.account_enabled),
            "ageGroup" => stat(self.age_group),
            "consentProvidedForMinor" => stat(self.consent_provided_for_minor),
            "legalAgeGroupClassification" => stat(self.legal_age_group_classification),
            "employeeId" => text(&self.employee_id),
            "employeeType" => stat(self.employee_type),
            "employeeHireDate" => self
                .employee_hire_date
                .as_ref()
                .map_or(Prop::Null, |s| Prop::Date(s.as_str())),
            "createdDateTime" => Prop::Date(self.created.as_str()),
            "lastPasswordChangeDateTime" => Prop::Date(self.last_password_change.as_str()),
            "signInActivity" => self.sign_in.as_deref().map_or(Prop::Null, Prop::SignIn),
            "onPremisesSyncEnabled" => self
                .on_prem
                .as_ref()
                .map_or(Prop::Null, |_| Prop::Bool(true)),
            "onPremisesImmutableId" => self
                .on_prem
                .as_ref()
                .map_or(Prop::Null, |o| Prop::Str(&o.immutable_id)),
            "onPremisesSamAccountName" => self
                .on_prem
                .as_ref()
                .map_or(Prop::Null, |o| Prop::Str(&o.sam_account_name)),
            "onPremisesSecurityIdentifier" => self
                .on_prem
                .as_ref()
                .map_or(Prop::Null, |o| Prop::Str(&o.security_identifier)),
            "onPremisesDistinguishedName" => self
                .on_prem
                .as_ref()
                .map_or(Prop::Null, |o| Prop::Str(&o.distinguished_name)),
            "onPremisesDomainName" => self
                .on_prem
                .as_ref()
                .map_or(Prop::Null, |o| Prop::Str(&o.domain_name)),
            "onPremisesUserPrincipalName" => self
                .on_prem
                .as_ref()
                .map_or(Prop::Null, |o| Prop::Str(&o.user_principal_name)),
            "onPremisesLastSyncDateTime" => self
                .on_prem
                .as_ref()
                .map_or(Prop::Null, |o| Prop::Date(o.last_sync.as_str())),
            "onPremisesExtensionAttributes" => {
                Prop::ExtensionAttributes(self.extension_attributes.as_deref())
            }
            "onPremisesProvisioningErrors"
            | "serviceProvisioningErrors"
            | "assignedPlans"
            | "provisionedPlans"
            | "licenseAssignmentStates" => Prop::EmptyList,
            "assignedLicenses" => Prop::Licenses(&self.licenses, self.id()),
            "identities" => Prop::Identities(self),
            "interests" | "pastProjects" | "responsibilities" | "schools" | "skills" => {
                Prop::EmptyList
            }
            "aboutMe" | "birthday" | "hireDate" | "mySite" | "preferredName"
            | "mailboxSettings" => Prop::Null,
            "showInAddressList" | "isResourceAccount" | "isManagementRestricted" => Prop::Null,
            "deletedDateTime"
            | "passwordPolicies"
            | "preferredDataLocation"
            | "securityIdentifier"
            | "onPremisesExtensionAttributesSource"
            | "employeeLeaveDateTime"
            | "identityParentId" => Prop::Null,
            _ => return None,
        })
    }
}

impl Group {
    /// The value of the property named `name`, `None` if groups have no such property.
    pub fn prop(&self, name: &str) -> Option<Prop<'_>> {
        Some(match name {
            "id" => Prop::Guid(&self.id),
            "displayName" => Prop::Str(&self.display_name),
            "description" => text(&self.description),
            "mail" => text(&self.mail),
            "mailNickname" => Prop::Str(&self.mail_nickname),
            "mailEnabled" => Prop::Bool(self.mail_enabled()),
            "securityEnabled" => Prop::Bool(self.security_enabled()),
            "groupTypes" => Prop::StaticStrs(self.group_types()),
            "membershipRule" => text(&self.membership_rule),
            "membershipRuleProcessingState" => stat(self.dynamic.then_some("On")),
            "visibility" => stat(self.visibility),
            "isAssignableToRole" => self.is_assignable_to_role.map_or(Prop::Null, Prop::Bool),
            "classification" => stat(self.classification),
            "createdDateTime" => Prop::Date(self.created.as_str()),
            "renewedDateTime" => Prop::Date(self.renewed.as_str()),
            "proxyAddresses" => Prop::Strs(&self.proxy_addresses),
            "securityIdentifier" => Prop::Str(&self.security_identifier),
            "preferredLanguage" => stat(self.preferred_language),
            "onPremisesSyncEnabled" => self.on_prem_sync.map_or(Prop::Null, Prop::Bool),
            "onPremisesSamAccountName" => text(&self.on_prem_sam),
            "onPremisesSecurityIdentifier" => text(&self.on_prem_sid),
            "onPremisesLastSyncDateTime" => self
                .on_prem_last_sync
                .as_ref()
                .map_or(Prop::Null, |s| Prop::Date(s.as_str())),
            "onPremisesDomainName" => stat(self.is_synced().then_some("contoso.local")),
            "onPremisesNetBiosName" => stat(self.is_synced().then_some("CONTOSO")),
            "creationOptions"
            | "resourceBehaviorOptions"
            | "resourceProvisioningOptions"
            | "onPremisesProvisioningErrors"
            | "serviceProvisioningErrors"
            | "assignedLicenses"
            | "infoCatalogs" => Prop::EmptyList,
            "deletedDateTime"
            | "expirationDateTime"
            | "preferredDataLocation"
            | "theme"
            | "uniqueName"
            | "isManagementRestricted"
            | "organizationId" => Prop::Null,
            _ => return None,
        })
    }
}

impl Device {
    /// The value of the property named `name`, `None` if devices have no such property.
    pub fn prop(&self, name: &str) -> Option<Prop<'_>> {
        Some(match name {
            "id" => Prop::Guid(&self.id),
            "deviceId" => Prop::Guid(&self.device_id),
            "displayName" => Prop::Str(&self.display_name),
            "operatingSystem" => Prop::Str(self.operating_system),
            "operatingSystemVersion" => Prop::Str(self.operating_system_version),
            "accountEnabled" => Prop::Bool(self.account_enabled),
            "trustType" => Prop::Str(self.trust_type),
            "isCompliant" => self.is_compliant.map_or(Prop::Null, Prop::Bool),
            "isManaged" => self.is_managed.map_or(Prop::Null, Prop::Bool),
            "registrationDateTime" => Prop::Date(self.registration.as_str()),
            "approximateLastSignInDateTime" => self
                .last_sign_in
                .as_ref()
                .map_or(Prop::Null, |s| Prop::Date(s.as_str())),
            "deletedDateTime" => Prop::Null,
            _ => return None,
        })
    }
}

impl ServicePrincipal {
    /// The value of the property named `name`, `None` if service principals have no such property.
    pub fn prop(&self, name: &str) -> Option<Prop<'_>> {
        Some(match name {
            "id" => Prop::Guid(&self.id),
            "appId" => Prop::Guid(&self.app_id),
            "displayName" | "appDisplayName" => Prop::Str(&self.display_name),
            "accountEnabled" => Prop::Bool(self.account_enabled),
            "servicePrincipalType" => Prop::Str(self.service_principal_type),
            "signInAudience" => Prop::Str(self.sign_in_audience),
            "tags" => Prop::Strs(&self.tags),
            "createdDateTime" => Prop::Date(self.created.as_str()),
            "deletedDateTime" => Prop::Null,
            _ => return None,
        })
    }
}

impl OrgContact {
    /// The value of the property named `name`, `None` if contacts have no such property.
    pub fn prop(&self, name: &str) -> Option<Prop<'_>> {
        Some(match name {
            "id" => Prop::Guid(&self.id),
            "displayName" => Prop::Str(&self.display_name),
            "givenName" => text(&self.given_name),
            "surname" => text(&self.surname),
            "mail" => text(&self.mail),
            "mailNickname" => Prop::Str(&self.mail_nickname),
            "companyName" => text(&self.company_name),
            "department" => text(&self.department),
            "jobTitle" => text(&self.job_title),
            "proxyAddresses" => Prop::Strs(&self.proxy_addresses),
            "deletedDateTime" => Prop::Null,
            _ => return None,
        })
    }
}

/// Appends JSON to a buffer without building intermediate values.
pub struct JsonOut<'b> {
    buf: &'b mut Vec<u8>,
    first: bool,
}

impl<'b> JsonOut<'b> {
    /// Starts an object (`{`).
    pub fn object(buf: &'b mut Vec<u8>) -> Self {
        buf.push(b'{');
        Self { buf, first: true }
    }

    /// Writes `"key":` with the separating comma.
    pub fn key(&mut self, key: &str) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        write_str(self.buf, key);
        self.buf.push(b':');
    }

    /// Writes `"key": value` for a property value.
    pub fn prop(&mut self, key: &str, value: Prop<'_>) {
        self.key(key);
        write_prop(self.buf, value);
    }

    /// Writes `"key": "value"`.
    pub fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        write_str(self.buf, value);
    }

    /// Writes `"key": <raw JSON>`.
    pub fn raw(&mut self, key: &str, json: &[u8]) {
        self.key(key);
        self.buf.extend_from_slice(json);
    }

    /// The buffer, for writing a nested value after [`JsonOut::key`].
    pub fn buf(&mut self) -> &mut Vec<u8> {
        self.buf
    }

    /// Closes the object (`}`).
    pub fn end(self) {
        self.buf.push(b'}');
    }
}

/// Writes `s` as a JSON string literal.
pub fn write_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
        buf.extend_from_slice(bytes);
        buf.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                buf.extend_from_slice(&bytes[start..i]);
                buf.extend_from_slice(format!("\\u{b:04x}").as_bytes());
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        buf.extend_from_slice(escape);
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

fn write_list<'x>(buf: &mut Vec<u8>, items: impl Iterator<Item = &'x str>) {
    buf.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_str(buf, item);
    }
    buf.push(b']');
}

/// Writes a property value as JSON.
pub fn write_prop(buf: &mut Vec<u8>, value: Prop<'_>) {
    match value {
        Prop::Null => buf.extend_from_slice(b"null"),
        Prop::Bool(true) => buf.extend_from_slice(b"true"),
        Prop::Bool(false) => buf.extend_from_slice(b"false"),
        Prop::Str(s) | Prop::Date(s) => write_str(buf, s),
        Prop::Guid(id) => {
            buf.push(b'"');
            buf.extend_from_slice(id.as_bytes());
            buf.push(b'"');
        }
        Prop::Strs(items) => write_list(buf, items.iter().map(|s| &**s)),
        Prop::StaticStrs(items) => write_list(buf, items.iter().copied()),
        Prop::EmptyList => buf.extend_from_slice(b"[]"),
        Prop::SignIn(s) => {
            let mut o = JsonOut::object(buf);
            o.str("lastSignInDateTime", s.last_sign_in.as_str());
            o.str("lastSignInRequestId", s.request_id.as_str());
            o.str(
                "lastNonInteractiveSignInDateTime",
                s.last_non_interactive.as_str(),
            );
            o.str("lastNonInteractiveSignInRequestId", s.request_id.as_str());
            o.str("lastSuccessfulSignInDateTime", s.last_successful.as_str());
            o.str("lastSuccessfulSignInRequestId", s.request_id.as_str());
            o.end();
        }
        Prop::ExtensionAttributes(attrs) => {
            let mut o = JsonOut::object(buf);
            for n in 0..15 {
                let value = attrs
                    .and_then(|a| a[n].as_deref())
                    .map_or(Prop::Null, Prop::Str);
                o.prop(EXTENSION_ATTRIBUTE_NAMES[n], value);
            }
            o.end();
        }
        Prop::Licenses(skus, user_id) => {
            buf.push(b'[');
            for (i, &sku) in skus.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                let disabled: Vec<String> =
                    crate::graph::skus::disabled_plans(user_id, sku as usize)
                        .iter()
                        .map(|(id, _)| format!("\"{id}\""))
                        .collect();
                let mut o = JsonOut::object(buf);
                o.raw(
                    "disabledPlans",
                    format!("[{}]", disabled.join(",")).as_bytes(),
                );
                o.str("skuId", SKUS.get(sku as usize).copied().unwrap_or_default());
                o.end();
            }
            buf.push(b']');
        }
        Prop::Identities(user) => {
            buf.push(b'[');
            let mut o = JsonOut::object(buf);
            o.str("signInType", "userPrincipalName");
            let issuer = user
                .user_principal_name
                .rsplit('@')
                .next()
                .unwrap_or_default();
            o.str(
                "issuer",
                if user.guest {
                    "ExternalAzureAD"
                } else {
                    issuer
                },
            );
            o.str("issuerAssignedId", &user.user_principal_name);
            o.end();
            buf.push(b']');
        }
    }
}

/// `extensionAttribute1` .. `extensionAttribute15`.
pub const EXTENSION_ATTRIBUTE_NAMES: [&str; 15] = [
    "extensionAttribute1",
    "extensionAttribute2",
    "extensionAttribute3",
    "extensionAttribute4",
    "extensionAttribute5",
    "extensionAttribute6",
    "extensionAttribute7",
    "extensionAttribute8",
    "extensionAttribute9",
    "extensionAttribute10",
    "extensionAttribute11",
    "extensionAttribute12",
    "extensionAttribute13",
    "extensionAttribute14",
    "extensionAttribute15",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for s in [
            "plain",
            "quote \" and \\ back",
            "line\nbreak\ttab\r",
            "ctrl \u{1} x",
            "Groß 陳 محمد",
        ] {
            let mut buf = Vec::new();
            write_str(&mut buf, s);
            let back: String = serde_json::from_slice(&buf).unwrap_or_default();
            assert_eq!(back, s);
        }
    }

    #[test]
    fn objects_write_commas_between_keys() {
        let mut buf = Vec::new();
        let mut o = JsonOut::object(&mut buf);
        o.prop("a", Prop::Bool(true));
        o.prop("b", Prop::StaticStrs(&["x", "y"]));
        o.prop("c", Prop::Null);
        o.end();
        assert_eq!(
            String::from_utf8_lossy(&buf),
            r#"{"a":true,"b":["x","y"],"c":null}"#
        );
    }
}
