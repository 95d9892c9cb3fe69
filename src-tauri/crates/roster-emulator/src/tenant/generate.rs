//! Deterministic tenant generation: the same seed and sizes give the same tenant, byte for byte.

use std::collections::HashMap;

use base64::Engine as _;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::model::{
    Device, Group, GroupKind, Id, Kind, OrgContact, PhoneType, Ref, ServicePrincipal,
    SignInActivity, Stamp, Text, User, UserOnPrem,
};
use super::names::*;
use super::rules::Rule;

/// The smallest tenant the generator builds (the known accounts and special groups need room).
pub const MIN_USERS: usize = 10;
/// The smallest number of groups (the special groups of [`SPECIAL_GROUPS`]).
pub const MIN_GROUPS: usize = 16;

/// Names of the groups every tenant has, in index order (the rest are random).
pub const SPECIAL_GROUPS: &[&str] = &[
    "All Company",
    "Owner Team (Microsoft 365)",
    "Owner Security Group",
    "Owner Role Admins",
    "Owner Dynamic Sales",
    "Owner Synced Group",
    "Owner Mail-enabled Security",
    "Owner Distribution List",
    "Owner Hidden Membership",
    "Nested Level 1",
    "Nested Level 2",
    "Nested Level 3",
    "Nested Level 4",
    "Empty Group",
    "Mixed Members",
    "Sales (dynamic)",
];

/// Everything the generator produces, before indexes are built.
pub(crate) struct Generated {
    pub tenant_id: Id,
    pub domain: String,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub devices: Vec<Device>,
    pub service_principals: Vec<ServicePrincipal>,
    pub contacts: Vec<OrgContact>,
}

const EPOCH_2015: i64 = 1_420_070_400;
const EPOCH_2025: i64 = 1_735_689_600;
const EPOCH_2026: i64 = 1_767_225_600;

struct Gen {
    rng: ChaCha8Rng,
    domain: String,
}

impl Gen {
    fn uuid(&mut self) -> Id {
        Id::new(uuid::Builder::from_random_bytes(self.rng.random()).into_uuid())
    }
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }
    fn time(&mut self, from: i64, to: i64) -> Stamp {
        Stamp::from_unix(self.rng.random_range(from..to))
    }
    fn maybe(&mut self, p: f64, value: impl Into<Box<str>>) -> Text {
        let value = value.into();
        self.chance(p).then_some(value)
    }
}

/// Builds the tenant for `seed` with `users` users and `groups` groups (clamped to the minimums).
pub(crate) fn generate(seed: u64, users: usize, groups: usize) -> Generated {
    let users = users.max(MIN_USERS);
    let groups = groups.max(MIN_GROUPS);
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        domain: "contoso.onmicrosoft.com".into(),
    };
    let tenant_id = g.uuid();
    let mut user_list = Vec::with_capacity(users);
    let mut alias_counts: HashMap<String, u32> = HashMap::new();
    for i in 0..users {
        let user = gen_user(&mut g, i, &mut alias_counts);
        user_list.push(user);
    }
    let devices = (0..(users / 8).clamp(20, 200_000))
        .map(|i| gen_device(&mut g, i))
        .collect::<Vec<_>>();
    let sps = (0..(users / 20).clamp(10, 50_000))
        .map(|i| gen_sp(&mut g, i))
        .collect::<Vec<_>>();
    let mut contacts = (0..(users / 20).clamp(10, 50_000))
        .map(|i| gen_contact(&mut g, i))
        .collect::<Vec<_>>();
    share_mail_with_guest(&mut contacts[0], &user_list);
    let mut group_list = Vec::with_capacity(groups);
    for i in 0..groups {
        group_list.push(gen_group_shell(&mut g, i, groups));
    }
    fill_members(
        &mut g,
        &mut group_list,
        &user_list,
        devices.len(),
        sps.len(),
        contacts.len(),
    );
    Generated {
        tenant_id,
        domain: g.domain,
        users: user_list,
        groups: group_list,
        devices,
        service_principals: sps,
        contacts,
    }
}

fn gen_user(g: &mut Gen, i: usize, alias_counts: &mut HashMap<String, u32>) -> User {
    let domain = g.domain.clone();
    let known = match i {
        0 => Some(("admin", "Ada", "Admin")),
        1 => Some(("owner", "Olaf", "Owner")),
        2 => Some(("reader", "Rita", "Reader")),
        _ => None,
    };
    let guest = known.is_none() && g.chance(0.08);
    let (given, surname, display, alias) = if let Some((alias, given, surname)) = known {
        (
            given.to_owned(),
            surname.to_owned(),
            format!("{given} {surname}"),
            alias.to_owned(),
        )
    } else if g.chance(0.04) {
        let (given, surname, display, alias) = g.pick(NON_LATIN);
        (
            given.to_owned(),
            surname.to_owned(),
            display.to_owned(),
            alias.to_owned(),
        )
    } else {
        let (given, given_ascii) = g.pick(GIVEN);
        let (surname, surname_ascii) = g.pick(SURNAMES);
        (
            given.to_owned(),
            surname.to_owned(),
            format!("{given} {surname}"),
            format!("{given_ascii}.{surname_ascii}"),
        )
    };
    let alias = if known.is_some() {
        alias
    } else {
        let count = alias_counts.entry(alias.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            alias
        } else {
            format!("{alias}{count}")
        }
    };
    let location = g.pick(LOCATIONS);
    let (country, usage, city, state, postal, prefix, office, street) = location;
    let (upn, mail, nickname, company) = if guest {
        let (guest_domain, company) = g.pick(GUEST_DOMAINS);
        let upn = format!("{alias}_{guest_domain}#EXT#@{domain}");
        (
            upn,
            Some(format!("{alias}@{guest_domain}")),
            format!("{alias}_{guest_domain}#EXT#"),
            company,
        )
    } else {
        let upn = format!("{alias}@{domain}");
        let mail = (known.is_some() || g.chance(0.9)).then(|| upn.clone());
        (upn, mail, alias.clone(), "Contoso Ltd.")
    };
    let department = if i >= 3 && i % 97 == 5 {
        Some(g.pick(AWKWARD_DEPARTMENTS).into())
    } else {
        let d = g.pick(DEPARTMENTS);
        g.maybe(0.9, d)
    };
    let job_title = if i >= 3 && i % 89 == 7 {
        Some(g.pick(AWKWARD_TITLES).into())
    } else {
        let t = g.pick(JOB_TITLES);
        g.maybe(0.85, t)
    };
    let street_address = if i % 211 == 11 {
        Some(format!("{street}\nUnit {}", i % 40 + 1).into())
    } else {
        g.maybe(0.75, street)
    };
    let has_location = known.is_some() || g.chance(0.85);
    let phone = |g: &mut Gen| format!("{prefix} 555 {:04}", g.rng.random_range(0..10_000));
    let business_phones = if g.chance(0.75) {
        vec![phone(g).into()]
    } else {
        Vec::new()
    };
    let mobile_phone = if g.chance(0.6) {
        Some(phone(g).into())
    } else {
        None
    };
    let fax_number = if g.chance(0.05) {
        Some(phone(g).into())
    } else {
        None
    };
    let other_mails = if g.chance(0.2) {
        vec![format!("{alias}@personal.example").into()]
    } else {
        Vec::new()
    };
    let proxy_addresses = match (&mail, guest) {
        (Some(mail), false) => vec![
            format!("SMTP:{mail}").into(),
            format!("smtp:{alias}@contoso.com").into(),
        ],
        (Some(mail), true) => vec![format!("SMTP:{mail}").into()],
        (None, _) => Vec::new(),
    };
    let created = g.rng.random_range(EPOCH_2015..EPOCH_2025);
    let account_enabled = known.is_some() || g.chance(0.95);
    let sign_in = (account_enabled && g.chance(0.85)).then(|| {
        let last = g.rng.random_range(EPOCH_2025..EPOCH_2026);
        Box::new(SignInActivity {
            last_sign_in: Stamp::from_unix(last),
            last_non_interactive: Stamp::from_unix(last + g.rng.random_range(0..86_400)),
            last_successful: Stamp::from_unix(last),
            request_id: g.uuid(),
        })
    });
    let synced = known.is_none() && !guest && g.chance(0.3);
    let on_prem = synced.then(|| {
        let guid: [u8; 16] = g.rng.random();
        let sam: String = alias
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect();
        Box::new(UserOnPrem {
            immutable_id: base64::engine::general_purpose::STANDARD
                .encode(guid)
                .into(),
            sam_account_name: sam.into(),
            security_identifier: format!("S-1-5-21-1004336348-1177238915-682003330-{}", 1000 + i)
                .into(),
            distinguished_name: format!(
                "CN={},OU=Users,OU={country},DC=contoso,DC=local",
                display.replace(',', "\\,")
            )
            .into(),
            domain_name: "contoso.local".into(),
            user_principal_name: format!("{alias}@contoso.local").into(),
            last_sync: g.time(EPOCH_2025, EPOCH_2026),
        })
    });
    let extension_attributes = g.chance(0.3).then(|| {
        let mut attrs: [Text; 15] = Default::default();
        attrs[0] = Some(format!("CC-{:04}", g.rng.random_range(1000..10_000)).into());
        if g.chance(0.5) {
            attrs[1] = Some(g.pick(&["Badge-A", "Badge-B", "Contractor"]).into());
        }
        Box::new(attrs)
    });
    let (age_group, consent, legal) = match g.rng.random_range(0..100) {
        0 => (
            Some("minor"),
            Some("granted"),
            Some("minorWithParentalConsent"),
        ),
        1..=10 => (Some("adult"), None, Some("adult")),
        _ => (None, None, None),
    };
    let manager = (i > 0 && !guest && g.chance(0.9)).then(|| {
        let u: f64 = g.rng.random();
        ((i as f64) * u * u) as u32
    });
    let mut phone_methods = Vec::new();
    if g.chance(0.4) {
        phone_methods.push((
            PhoneType::Mobile,
            format!("+1 206555{:04}", g.rng.random_range(0..10_000)).into(),
        ));
        if g.chance(0.25) {
            phone_methods.push((
                PhoneType::AlternateMobile,
                format!("+31 6{:08}", g.rng.random_range(0..100_000_000)).into(),
            ));
        }
        if g.chance(0.25) {
            phone_methods.push((
                PhoneType::Office,
                format!("{prefix} 555 0100x{}", i % 900 + 100).into(),
            ));
        }
    }
    let email_method = g
        .chance(0.3)
        .then(|| format!("{alias}@personal.example").into());
    User {
        id: g.uuid(),
        user_principal_name: upn.into(),
        display_name: display.into(),
        given_name: if known.is_some() || g.chance(0.97) {
            Some(given.into())
        } else {
            None
        },
        surname: if known.is_some() || g.chance(0.97) {
            Some(surname.into())
        } else {
            None
        },
        mail: mail.map(Into::into),
        mail_nickname: nickname.into(),
        job_title,
        department,
        company_name: if company.is_empty() {
            None
        } else {
            g.maybe(0.7, company)
        },
        office_location: if has_location {
            g.maybe(0.8, office)
        } else {
            None
        },
        street_address: if has_location { street_address } else { None },
        city: has_location.then(|| city.into()),
        state: has_location.then(|| state.into()),
        country: has_location.then(|| country.into()),
        postal_code: has_location.then(|| postal.into()),
        usage_location: (has_location || g.chance(0.5)).then_some(usage),
        mobile_phone,
        fax_number,
        business_phones,
        other_mails,
        proxy_addresses,
        im_addresses: Vec::new(),
        preferred_language: g.chance(0.7).then(|| g.pick(LANGUAGES)),
        guest,
        external_user_state: guest.then(|| {
            if g.chance(0.8) {
                "Accepted"
            } else {
                "PendingAcceptance"
            }
        }),
        external_user_state_change: guest.then(|| g.time(created, EPOCH_2025 + 1)),
        account_enabled,
        age_group,
        consent_provided_for_minor: consent,
        legal_age_group_classification: legal,
        employee_id: if guest {
            None
        } else {
            g.maybe(0.7, format!("E{:06}", 100_000 + i))
        },
        employee_type: if guest {
            None
        } else {
            g.chance(0.6).then(|| g.pick(&["Employee", "Contractor"]))
        },
        employee_hire_date: (!guest && g.chance(0.5)).then(|| Stamp::from_unix(created)),
        created: Stamp::from_unix(created),
        last_password_change: g.time(created, EPOCH_2026),
        sign_in,
        on_prem,
        extension_attributes,
        licenses: if !guest && g.chance(0.8) {
            vec![g.rng.random_range(0..SKUS.len() as u8)]
        } else {
            Vec::new()
        },
        manager,
        phone_methods,
        email_method,
    }
}

fn gen_device(g: &mut Gen, i: usize) -> Device {
    let (prefix, os, version, trust) = g.pick(DEVICES);
    Device {
        id: g.uuid(),
        device_id: g.uuid(),
        display_name: format!("{prefix}-{i:05}").into(),
        operating_system: os,
        operating_system_version: version,
        account_enabled: g.chance(0.95),
        trust_type: trust,
        is_compliant: g.chance(0.8).then(|| g.chance(0.85)),
        is_managed: g.chance(0.8).then(|| g.chance(0.9)),
        registration: g.time(EPOCH_2015, EPOCH_2025),
        last_sign_in: g.chance(0.9).then(|| g.time(EPOCH_2025, EPOCH_2026)),
    }
}

fn gen_sp(g: &mut Gen, i: usize) -> ServicePrincipal {
    let name = g.pick(APPS);
    ServicePrincipal {
        id: g.uuid(),
        app_id: g.uuid(),
        display_name: format!("{name} {i}").into(),
        account_enabled: g.chance(0.95),
        service_principal_type: "Application",
        sign_in_audience: "AzureADMyOrg",
        tags: vec!["WindowsAzureActiveDirectoryIntegratedApp".into()],
        created: g.time(EPOCH_2015, EPOCH_2025),
    }
}

/// Real tenants often hold a guest user and an organisational contact for the same person, with
/// the same mail address (so a mail lookup finds two objects): `contact` becomes that contact for
/// the first guest with a mail (the last user with a mail when there is no guest). Uses no
/// randomness, so the rest of the tenant is the same as without it.
fn share_mail_with_guest(contact: &mut OrgContact, users: &[User]) {
    let person = users
        .iter()
        .find(|u| u.guest && u.mail.is_some())
        .or_else(|| users.iter().rev().find(|u| u.mail.is_some()));
    let Some(mail) = person.and_then(|u| u.mail.clone()) else {
        return;
    };
    if let Some(user) = person {
        contact.display_name = format!("{} (external)", user.display_name).into();
    }
    contact.mail_nickname = mail.split('@').next().unwrap_or_default().into();
    contact.proxy_addresses = vec![format!("SMTP:{mail}").into()];
    contact.mail = Some(mail);
}

fn gen_contact(g: &mut Gen, i: usize) -> OrgContact {
    let (given, given_ascii) = g.pick(GIVEN);
    let (surname, surname_ascii) = g.pick(SURNAMES);
    let (domain, company) = g.pick(GUEST_DOMAINS);
    OrgContact {
        id: g.uuid(),
        display_name: format!("{given} {surname} (external)").into(),
        given_name: Some(given.into()),
        surname: Some(surname.into()),
        mail: Some(format!("{given_ascii}.{surname_ascii}{i}@{domain}").into()),
        mail_nickname: format!("{given_ascii}.{surname_ascii}{i}").into(),
        company_name: if company.is_empty() {
            None
        } else {
            Some(company.into())
        },
        department: None,
        job_title: {
            let title = g.pick(JOB_TITLES);
            g.maybe(0.5, title)
        },
        proxy_addresses: vec![format!("SMTP:{given_ascii}.{surname_ascii}{i}@{domain}").into()],
    }
}

/// The kind, dynamic rule, sync and visibility flags of group `i`.
fn gen_group_shell(g: &mut Gen, i: usize, total: usize) -> Group {
    let mut dynamic_rule: Option<String> = None;
    let mut synced = false;
    let mut assignable = false;
    let mut hidden = false;
    let kind = match i {
        0 | 2 | 9..=14 => GroupKind::Security,
        1 => GroupKind::Unified,
        3 => {
            assignable = true;
            GroupKind::Security
        }
        4 | 15 => {
            dynamic_rule = Some(r#"user.department -eq "Sales""#.into());
            GroupKind::Security
        }
        5 => {
            synced = true;
            GroupKind::Security
        }
        6 => GroupKind::MailEnabledSecurity,
        7 => GroupKind::Distribution,
        8 => {
            hidden = true;
            GroupKind::Unified
        }
        _ => {
            let roll = g.rng.random_range(0..100);
            match roll {
                0..=34 => {
                    hidden = g.chance(0.03);
                    GroupKind::Unified
                }
                35..=69 => {
                    synced = g.chance(0.2);
                    assignable = !synced && g.chance(0.05);
                    GroupKind::Security
                }
                70..=79 => GroupKind::MailEnabledSecurity,
                80..=89 => GroupKind::Distribution,
                _ => GroupKind::Security,
            }
        }
    };
    if i >= SPECIAL_GROUPS.len() && !synced && !assignable && kind != GroupKind::MailEnabledSecurity
    {
        // A few random dynamic groups (capped: their membership is computed over every user).
        let dynamic_budget = (total / 30).clamp(1, 30);
        if kind != GroupKind::Distribution && i % 30 == 17 && i / 30 < dynamic_budget {
            let department = g.pick(DEPARTMENTS);
            let (country, ..) = g.pick(LOCATIONS);
            dynamic_rule = Some(format!(
                r#"(user.department -eq "{department}") -and (user.country -eq "{country}")"#
            ));
        }
    }
    let name = match SPECIAL_GROUPS.get(i) {
        Some(name) => (*name).to_owned(),
        None => format!("{} {i:04}", g.pick(GROUP_TOPICS)),
    };
    let nickname: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        + &i.to_string();
    let mail_enabled = kind != GroupKind::Security;
    let created = g.rng.random_range(EPOCH_2015..EPOCH_2025);
    Group {
        id: g.uuid(),
        kind,
        description: g.maybe(0.7, format!("{name}: generated group")),
        mail: mail_enabled.then(|| format!("{nickname}@{}", g.domain).into()),
        proxy_addresses: if mail_enabled {
            vec![format!("SMTP:{nickname}@{}", g.domain).into()]
        } else {
            Vec::new()
        },
        display_name: name.into(),
        mail_nickname: nickname.into(),
        dynamic: dynamic_rule.is_some(),
        membership_rule: dynamic_rule.map(Into::into),
        visibility: match (kind, hidden, assignable) {
            (GroupKind::Unified, true, _) => Some("Hiddenmembership"),
            (_, _, true) => Some("Private"),
            (GroupKind::Unified, false, _) => {
                Some(if g.chance(0.7) { "Public" } else { "Private" })
            }
            _ => None,
        },
        is_assignable_to_role: assignable.then_some(true),
        classification: g
            .chance(0.2)
            .then(|| g.pick(&["General", "Confidential", "Highly Confidential"])),
        on_prem_sync: synced.then_some(true),
        on_prem_sam: synced.then(|| format!("grp{i}").into()),
        on_prem_sid: synced
            .then(|| format!("S-1-5-21-1004336348-1177238915-682003330-{}", 500_000 + i).into()),
        on_prem_last_sync: synced.then(|| g.time(EPOCH_2025, EPOCH_2026)),
        security_identifier: format!(
            "S-1-12-1-{}-{}",
            g.rng.random::<u32>(),
            g.rng.random::<u32>()
        )
        .into(),
        created: Stamp::from_unix(created),
        renewed: Stamp::from_unix(created),
        preferred_language: None,
        members: Vec::new(),
        owners: Vec::new(),
    }
}

fn sample(g: &mut Gen, population: usize, count: usize) -> Vec<usize> {
    let count = count.min(population);
    let mut picks: Vec<usize> = (0..count)
        .map(|_| g.rng.random_range(0..population))
        .collect();
    picks.sort_unstable();
    picks.dedup();
    picks
}

fn log_size(g: &mut Gen, max: usize) -> usize {
    let u: f64 = g.rng.random();
    ((max.max(2) as f64).powf(u) as usize).saturating_sub(1)
}

fn fill_members(
    g: &mut Gen,
    groups: &mut [Group],
    users: &[User],
    devices: usize,
    sps: usize,
    contacts: usize,
) {
    let user_refs = |idx: Vec<usize>| {
        idx.into_iter()
            .map(|i| Ref::new(Kind::User, i))
            .collect::<Vec<_>>()
    };
    let max_size = users.len().min(5000);
    let total = groups.len();
    let kinds: Vec<GroupKind> = groups.iter().map(|gr| gr.kind).collect();
    for i in 0..total {
        let group = &groups[i];
        let mut members: Vec<Ref> = Vec::new();
        if let Some(rule) = group.membership_rule.as_deref() {
            if let Ok(rule) = Rule::parse(rule) {
                members = users
                    .iter()
                    .enumerate()
                    .filter(|(_, u)| rule.matches(u))
                    .map(|(ix, _)| Ref::new(Kind::User, ix))
                    .collect();
            }
        } else {
            match i {
                0 => members = user_refs(sample(g, users.len(), users.len() / 8 + 1)),
                1..=8 => {
                    members = user_refs(sample(g, users.len(), 25));
                    if i == 7 || i == 6 {
                        members.extend(
                            sample(g, contacts, 2)
                                .into_iter()
                                .map(|c| Ref::new(Kind::OrgContact, c)),
                        );
                    }
                }
                9..=11 => {
                    members = user_refs(sample(g, users.len(), 5));
                    members.push(Ref::new(Kind::Group, i + 1));
                    if i == 10 {
                        members.push(Ref::new(Kind::Device, 0));
                    }
                }
                12 => members = user_refs(sample(g, users.len(), 5)),
                13 => {}
                14 => {
                    members = user_refs(vec![0, 1, 2, 3]);
                    members.push(Ref::new(Kind::Group, 2));
                    members.push(Ref::new(Kind::Device, 1));
                    members.push(Ref::new(Kind::ServicePrincipal, 0));
                    members.push(Ref::new(Kind::OrgContact, 0));
                }
                _ => {
                    let size = log_size(g, max_size);
                    members = user_refs(sample(g, users.len(), size));
                    let kind = kinds[i];
                    if kind != GroupKind::Unified {
                        if g.chance(0.2) {
                            // Nest groups with a higher index only, so nesting never forms a cycle.
                            let nested = g.rng.random_range(1..4);
                            for _ in 0..nested {
                                let j = g.rng.random_range(i..total);
                                if j > i
                                    && kinds[j] != GroupKind::Unified
                                    && !members.contains(&Ref::new(Kind::Group, j))
                                {
                                    members.push(Ref::new(Kind::Group, j));
                                }
                            }
                        }
                        if kind == GroupKind::Security && g.chance(0.15) {
                            let n = g.rng.random_range(1..6);
                            members.extend(
                                sample(g, devices, n)
                                    .into_iter()
                                    .map(|d| Ref::new(Kind::Device, d)),
                            );
                        }
                        if kind == GroupKind::Security && g.chance(0.05) {
                            let n = g.rng.random_range(1..3);
                            members.extend(
                                sample(g, sps, n)
                                    .into_iter()
                                    .map(|s| Ref::new(Kind::ServicePrincipal, s)),
                            );
                        }
                        if kind != GroupKind::Security && g.chance(0.3) || g.chance(0.05) {
                            let n = g.rng.random_range(1..6);
                            members.extend(
                                sample(g, contacts, n)
                                    .into_iter()
                                    .map(|c| Ref::new(Kind::OrgContact, c)),
                            );
                        }
                    }
                }
            }
        }
        let owners: Vec<Ref> = match i {
            1..=8 => vec![Ref::new(Kind::User, 1)],
            _ if !groups[i].is_synced()
                && matches!(kinds[i], GroupKind::Unified | GroupKind::Security) =>
            {
                let n = g.rng.random_range(0..3);
                let mut owners: Vec<Ref> = sample(g, users.len(), n)
                    .into_iter()
                    .filter(|&u| u > 2 && !users[u].guest)
                    .map(|u| Ref::new(Kind::User, u))
                    .collect();
                // Every sixth such group is also owned by an app (a service principal), chosen
                // without the random stream so the rest of the tenant stays as it was.
                if i % 6 == 5 && sps > 0 {
                    owners.push(Ref::new(Kind::ServicePrincipal, i % sps));
                }
                owners
            }
            _ => Vec::new(),
        };
        groups[i].members = members;
        groups[i].owners = owners;
    }
}
