//! Compact, typed directory objects. Strings are `Box<str>` (no spare capacity), ids and timestamps are
//! inline ASCII arrays, so a million users fit in well under a gigabyte and no lookup allocates.

use uuid::Uuid;

/// A directory object id kept as its 36-character lowercase text, so it can be lent out as `&str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Id([u8; 36]);

impl Id {
    /// The id of `uuid`.
    pub fn new(uuid: Uuid) -> Self {
        let mut buf = [0u8; 36];
        uuid.hyphenated().encode_lower(&mut buf);
        Self(buf)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The id's text as bytes (ASCII: lowercase hex digits and hyphens), for writers that need
    /// neither escaping nor a UTF-8 check.
    pub fn as_bytes(&self) -> &[u8; 36] {
        &self.0
    }

    /// The id as a UUID (the index key).
    pub fn uuid(&self) -> Uuid {
        Uuid::parse_str(self.as_str()).unwrap_or_default()
    }
}

impl std::fmt::Debug for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A UTC timestamp kept as `YYYY-MM-DDTHH:MM:SSZ`, the form Graph returns.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp([u8; 20]);

impl Stamp {
    /// The timestamp `unix` seconds after the epoch.
    pub fn from_unix(unix: i64) -> Self {
        let text = chrono::DateTime::from_timestamp(unix, 0)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let mut buf = *b"1970-01-01T00:00:00Z";
        if text.len() == 20 {
            buf.copy_from_slice(text.as_bytes());
        }
        Self(buf)
    }

    /// The timestamp as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Debug for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An optional string property.
pub type Text = Option<Box<str>>;

/// The kind of a directory object, as `@odata.type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `#microsoft.graph.user`
    User,
    /// `#microsoft.graph.group`
    Group,
    /// `#microsoft.graph.device`
    Device,
    /// `#microsoft.graph.servicePrincipal`
    ServicePrincipal,
    /// `#microsoft.graph.orgContact`
    OrgContact,
}

impl Kind {
    /// The `@odata.type` value.
    pub fn odata_type(self) -> &'static str {
        match self {
            Kind::User => "#microsoft.graph.user",
            Kind::Group => "#microsoft.graph.group",
            Kind::Device => "#microsoft.graph.device",
            Kind::ServicePrincipal => "#microsoft.graph.servicePrincipal",
            Kind::OrgContact => "#microsoft.graph.orgContact",
        }
    }

    /// The type name used in casts and `getByIds` `types` (`user`, `group`, ...).
    pub fn short_name(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Device => "device",
            Kind::ServicePrincipal => "servicePrincipal",
            Kind::OrgContact => "orgContact",
        }
    }

    /// The kind for a short or cast name (`user`, `microsoft.graph.user`), case-insensitive.
    pub fn parse(name: &str) -> Option<Kind> {
        let name = name.strip_prefix("microsoft.graph.").unwrap_or(name);
        [
            Kind::User,
            Kind::Group,
            Kind::Device,
            Kind::ServicePrincipal,
            Kind::OrgContact,
        ]
        .into_iter()
        .find(|k| k.short_name().eq_ignore_ascii_case(name))
    }

    fn tag(self) -> u32 {
        match self {
            Kind::User => 0,
            Kind::Group => 1,
            Kind::Device => 2,
            Kind::ServicePrincipal => 3,
            Kind::OrgContact => 4,
        }
    }
}

/// A reference to a directory object packed in 32 bits: kind in the top 3 bits, index in the rest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref(u32);

const INDEX_BITS: u32 = 29;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;

impl Ref {
    /// A reference to object `index` of `kind`.
    pub fn new(kind: Kind, index: usize) -> Self {
        Self((kind.tag() << INDEX_BITS) | (index as u32 & INDEX_MASK))
    }

    /// The object's kind.
    pub fn kind(self) -> Kind {
        match self.0 >> INDEX_BITS {
            0 => Kind::User,
            1 => Kind::Group,
            2 => Kind::Device,
            3 => Kind::ServicePrincipal,
            _ => Kind::OrgContact,
        }
    }

    /// The object's index in its kind's table.
    pub fn index(self) -> usize {
        (self.0 & INDEX_MASK) as usize
    }
}

impl std::fmt::Debug for Ref {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.kind().short_name(), self.index())
    }
}

/// `signInActivity` (complex type).
#[derive(Debug, Clone)]
pub struct SignInActivity {
    /// Last interactive sign-in.
    pub last_sign_in: Stamp,
    /// Last non-interactive sign-in.
    pub last_non_interactive: Stamp,
    /// Last successful sign-in.
    pub last_successful: Stamp,
    /// Request id of the last sign-in.
    pub request_id: Id,
}

/// On-premises attributes of a user synced from Active Directory.
#[derive(Debug, Clone)]
pub struct UserOnPrem {
    /// `onPremisesImmutableId` (base64 of the AD objectGUID).
    pub immutable_id: Box<str>,
    /// `onPremisesSamAccountName`.
    pub sam_account_name: Box<str>,
    /// `onPremisesSecurityIdentifier`.
    pub security_identifier: Box<str>,
    /// `onPremisesDistinguishedName`.
    pub distinguished_name: Box<str>,
    /// `onPremisesDomainName`.
    pub domain_name: Box<str>,
    /// `onPremisesUserPrincipalName`.
    pub user_principal_name: Box<str>,
    /// `onPremisesLastSyncDateTime`.
    pub last_sync: Stamp,
}

/// Which phone an authentication phone method is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneType {
    /// `mobile` (id `3179e48a-750b-4051-897c-87b9720928f7`).
    Mobile,
    /// `alternateMobile` (id `b6332ec1-7057-4abe-9331-3d72feddfe41`).
    AlternateMobile,
    /// `office` (id `e37fc753-ff3b-4958-9484-eaa9425c82bc`).
    Office,
}

impl PhoneType {
    /// The fixed method id Graph uses for this phone type.
    pub fn method_id(self) -> &'static str {
        match self {
            PhoneType::Mobile => "3179e48a-750b-4051-897c-87b9720928f7",
            PhoneType::AlternateMobile => "b6332ec1-7057-4abe-9331-3d72feddfe41",
            PhoneType::Office => "e37fc753-ff3b-4958-9484-eaa9425c82bc",
        }
    }

    /// The `phoneType` value.
    pub fn name(self) -> &'static str {
        match self {
            PhoneType::Mobile => "mobile",
            PhoneType::AlternateMobile => "alternateMobile",
            PhoneType::Office => "office",
        }
    }
}

/// The fixed id of a user's email authentication method.
pub const EMAIL_METHOD_ID: &str = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f";

/// A user (`#microsoft.graph.user`).
#[derive(Debug, Clone)]
pub struct User {
    pub(crate) id: Id,
    pub(crate) user_principal_name: Box<str>,
    pub(crate) display_name: Box<str>,
    pub(crate) given_name: Text,
    pub(crate) surname: Text,
    pub(crate) mail: Text,
    pub(crate) mail_nickname: Box<str>,
    pub(crate) job_title: Text,
    pub(crate) department: Text,
    pub(crate) company_name: Text,
    pub(crate) office_location: Text,
    pub(crate) street_address: Text,
    pub(crate) city: Text,
    pub(crate) state: Text,
    pub(crate) country: Text,
    pub(crate) postal_code: Text,
    pub(crate) usage_location: Option<&'static str>,
    pub(crate) mobile_phone: Text,
    pub(crate) fax_number: Text,
    pub(crate) business_phones: Vec<Box<str>>,
    pub(crate) other_mails: Vec<Box<str>>,
    pub(crate) proxy_addresses: Vec<Box<str>>,
    pub(crate) im_addresses: Vec<Box<str>>,
    pub(crate) preferred_language: Option<&'static str>,
    pub(crate) guest: bool,
    pub(crate) external_user_state: Option<&'static str>,
    pub(crate) external_user_state_change: Option<Stamp>,
    pub(crate) account_enabled: bool,
    pub(crate) age_group: Option<&'static str>,
    pub(crate) consent_provided_for_minor: Option<&'static str>,
    pub(crate) legal_age_group_classification: Option<&'static str>,
    pub(crate) employee_id: Text,
    pub(crate) employee_type: Option<&'static str>,
    pub(crate) employee_hire_date: Option<Stamp>,
    pub(crate) created: Stamp,
    pub(crate) last_password_change: Stamp,
    pub(crate) sign_in: Option<Box<SignInActivity>>,
    pub(crate) on_prem: Option<Box<UserOnPrem>>,
    pub(crate) extension_attributes: Option<Box<[Text; 15]>>,
    pub(crate) licenses: Vec<u8>,
    pub(crate) manager: Option<u32>,
    pub(crate) phone_methods: Vec<(PhoneType, Box<str>)>,
    pub(crate) email_method: Text,
}

impl User {
    /// The primary SMTP address (`mail`), if any.
    pub fn mail(&self) -> Option<&str> {
        self.mail.as_deref()
    }

    /// Whether this is a guest (B2B) user.
    pub fn is_guest(&self) -> bool {
        self.guest
    }

    /// The object id.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }
    /// The user principal name.
    pub fn upn(&self) -> &str {
        &self.user_principal_name
    }
    /// The display name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    /// Whether the account may sign in.
    pub fn account_enabled(&self) -> bool {
        self.account_enabled
    }
}

/// The kind of a group (graph-api.md §5.1 plus the flavours the emulator generates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// Microsoft 365 (`groupTypes` contains `Unified`): users only.
    Unified,
    /// Security group managed in the cloud.
    Security,
    /// Mail-enabled security group (read-only through Graph; Exchange).
    MailEnabledSecurity,
    /// Distribution list (read-only through Graph; Exchange).
    Distribution,
}

/// A group (`#microsoft.graph.group`).
#[derive(Debug, Clone)]
pub struct Group {
    pub(crate) id: Id,
    pub(crate) kind: GroupKind,
    pub(crate) display_name: Box<str>,
    pub(crate) description: Text,
    pub(crate) mail_nickname: Box<str>,
    pub(crate) mail: Text,
    pub(crate) proxy_addresses: Vec<Box<str>>,
    pub(crate) dynamic: bool,
    pub(crate) membership_rule: Text,
    pub(crate) visibility: Option<&'static str>,
    pub(crate) is_assignable_to_role: Option<bool>,
    pub(crate) classification: Option<&'static str>,
    pub(crate) on_prem_sync: Option<bool>,
    pub(crate) on_prem_sam: Text,
    pub(crate) on_prem_sid: Text,
    pub(crate) on_prem_last_sync: Option<Stamp>,
    pub(crate) security_identifier: Box<str>,
    pub(crate) created: Stamp,
    pub(crate) renewed: Stamp,
    pub(crate) preferred_language: Option<&'static str>,
    pub(crate) members: Vec<Ref>,
    pub(crate) owners: Vec<Ref>,
}

impl Group {
    /// The object id.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }
    /// The display name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
    /// The group's kind.
    pub fn kind(&self) -> GroupKind {
        self.kind
    }
    /// Whether membership is computed from a rule.
    pub fn is_dynamic(&self) -> bool {
        self.dynamic
    }
    /// Whether the group is synced from on-premises AD.
    pub fn is_synced(&self) -> bool {
        self.on_prem_sync == Some(true)
    }
    /// Whether the group can be assigned to a directory role.
    pub fn is_role_assignable(&self) -> bool {
        self.is_assignable_to_role == Some(true)
    }
    /// Whether membership is hidden from non-members.
    pub fn is_hidden_membership(&self) -> bool {
        self.visibility == Some("Hiddenmembership")
    }
    /// Direct members.
    pub fn members(&self) -> &[Ref] {
        &self.members
    }
    /// Owners (users and service principals).
    pub fn owners(&self) -> &[Ref] {
        &self.owners
    }
    /// `mailEnabled`.
    pub fn mail_enabled(&self) -> bool {
        !matches!(self.kind, GroupKind::Security)
    }
    /// `securityEnabled`.
    pub fn security_enabled(&self) -> bool {
        !matches!(self.kind, GroupKind::Distribution | GroupKind::Unified)
    }
    /// `groupTypes`.
    pub fn group_types(&self) -> &'static [&'static str] {
        match (self.kind == GroupKind::Unified, self.dynamic) {
            (true, true) => &["Unified", "DynamicMembership"],
            (true, false) => &["Unified"],
            (false, true) => &["DynamicMembership"],
            (false, false) => &[],
        }
    }
}

/// A device (`#microsoft.graph.device`).
#[derive(Debug, Clone)]
pub struct Device {
    pub(crate) id: Id,
    pub(crate) device_id: Id,
    pub(crate) display_name: Box<str>,
    pub(crate) operating_system: &'static str,
    pub(crate) operating_system_version: &'static str,
    pub(crate) account_enabled: bool,
    pub(crate) trust_type: &'static str,
    pub(crate) is_compliant: Option<bool>,
    pub(crate) is_managed: Option<bool>,
    pub(crate) registration: Stamp,
    pub(crate) last_sign_in: Option<Stamp>,
}

impl Device {
    /// The object id.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }
}

/// A service principal (`#microsoft.graph.servicePrincipal`).
#[derive(Debug, Clone)]
pub struct ServicePrincipal {
    pub(crate) id: Id,
    pub(crate) app_id: Id,
    pub(crate) display_name: Box<str>,
    pub(crate) account_enabled: bool,
    pub(crate) service_principal_type: &'static str,
    pub(crate) sign_in_audience: &'static str,
    pub(crate) tags: Vec<Box<str>>,
    pub(crate) created: Stamp,
}

impl ServicePrincipal {
    /// The object id.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }
    /// The display name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }
}

/// An organizational contact (`#microsoft.graph.orgContact`).
#[derive(Debug, Clone)]
pub struct OrgContact {
    pub(crate) id: Id,
    pub(crate) display_name: Box<str>,
    pub(crate) given_name: Text,
    pub(crate) surname: Text,
    pub(crate) mail: Text,
    pub(crate) mail_nickname: Box<str>,
    pub(crate) company_name: Text,
    pub(crate) department: Text,
    pub(crate) job_title: Text,
    pub(crate) proxy_addresses: Vec<Box<str>>,
}

impl OrgContact {
    /// The object id.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }

    /// The contact's mail address, if any.
    pub fn mail(&self) -> Option<&str> {
        self.mail.as_deref()
    }
}
