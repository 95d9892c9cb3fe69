//! The pickers of the download dialogs and the OData `$filter` / `$search` they stand for.
//!
//! Every picker becomes one `$filter` clause; clauses are joined with `and`, and a raw OData
//! filter typed by the admin is added in parentheses. A picker may hold several values: they are
//! alternatives (`department in ('Sales','Legal')`), so values are OR-ed within a picker and the
//! pickers AND-ed (`in` is allowed wherever `eq` is: graph-api.md §1.3). The Graph client decides from the result
//! whether advanced query mode (`ConsistencyLevel: eventual` + `$count=true`) is needed.

use serde::{Deserialize, Deserializer, Serialize};

/// An OData string literal: `'text'` with `'` doubled.
pub fn odata_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `Member` or `Guest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserTypeChoice {
    /// Users of the tenant (`userType eq 'Member'`).
    Member,
    /// B2B guests (`userType eq 'Guest'`).
    Guest,
}

/// Which users a users download reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserFilter {
    /// A raw OData `$filter` expression, added as is (in parentheses).
    pub odata: Option<String>,
    /// Members, guests, or either (both picked: users whose type is not set are still left out).
    #[serde(deserialize_with = "one_or_many")]
    pub user_type: Vec<UserTypeChoice>,
    /// Sign-in allowed (`true`) or blocked (`false`).
    pub account_enabled: Option<bool>,
    /// Exact departments: a user in any of them (a job stored before pickers took several values
    /// has one string here, which still reads).
    #[serde(deserialize_with = "one_or_many")]
    pub department: Vec<String>,
    /// Exact countries or regions: a user in any of them.
    #[serde(deserialize_with = "one_or_many")]
    pub country: Vec<String>,
    /// Created on or after this ISO 8601 date or date-time (`2024-01-31`).
    pub created_from: Option<String>,
    /// Created before this ISO 8601 date or date-time.
    pub created_before: Option<String>,
    /// Words searched in display name, UPN and mail (Graph `$search`, word-prefix match).
    pub search: Option<String>,
    /// Object ids or UPNs to read one by one (e.g. from a file); when not empty the other
    /// fields are ignored and the file keeps this order.
    pub ids: Vec<String>,
}

impl UserFilter {
    /// The `$filter` expression for the pickers, `None` when they select every user.
    pub fn odata_filter(&self) -> Option<String> {
        let mut clauses = Vec::new();
        let user_types: Vec<String> = self
            .user_type
            .iter()
            .map(|t| match t {
                UserTypeChoice::Member => "Member".to_owned(),
                UserTypeChoice::Guest => "Guest".to_owned(),
            })
            .collect();
        clauses.extend(any_of("userType", &user_types));
        if let Some(enabled) = self.account_enabled {
            clauses.push(format!("accountEnabled eq {enabled}"));
        }
        clauses.extend(any_of("department", &self.department));
        clauses.extend(any_of("country", &self.country));
        if let Some(from) = nonblank(&self.created_from) {
            clauses.push(format!("createdDateTime ge {}", date_time(from)));
        }
        if let Some(before) = nonblank(&self.created_before) {
            clauses.push(format!("createdDateTime lt {}", date_time(before)));
        }
        if let Some(raw) = nonblank(&self.odata) {
            clauses.push(format!("({raw})"));
        }
        join(clauses)
    }

    /// The `$search` expression for [`search`](Self::search), `None` without one.
    pub fn odata_search(&self) -> Option<String> {
        let text = nonblank(&self.search)?;
        let clause = |property: &str| {
            let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
            format!("\"{property}:{escaped}\"")
        };
        Some(format!(
            "{} OR {} OR {}",
            clause("displayName"),
            clause("userPrincipalName"),
            clause("mail")
        ))
    }
}

/// A group kind as the download dialog offers it (graph-api.md §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupKindChoice {
    /// Microsoft 365 groups.
    M365,
    /// Security groups (not mail-enabled).
    Security,
    /// Mail-enabled security groups.
    MailSecurity,
    /// Distribution lists.
    Distribution,
}

/// Assigned or dynamic membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipChoice {
    /// Members added by hand.
    Assigned,
    /// Members decided by a rule.
    Dynamic,
}

/// Where a group is mastered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupSourceChoice {
    /// Created in Entra ID.
    Cloud,
    /// Synced from Windows Server AD.
    Synced,
}

/// Which groups a groups download (or a members download by filter) reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupFilter {
    /// Group kinds: a group of any of them.
    #[serde(deserialize_with = "one_or_many")]
    pub kind: Vec<GroupKindChoice>,
    /// Assigned or dynamic.
    pub membership: Option<MembershipChoice>,
    /// Cloud or synced.
    pub source: Option<GroupSourceChoice>,
    /// Only groups that can (or cannot) be assigned to Entra roles.
    pub role_assignable: Option<bool>,
    /// Display name starts with this text.
    pub name: Option<String>,
    /// A raw OData `$filter` expression, added as is (in parentheses).
    pub odata: Option<String>,
}

impl GroupFilter {
    /// The `$filter` expression, `None` when every group is wanted.
    pub fn odata_filter(&self) -> Option<String> {
        const UNIFIED: &str = "groupTypes/any(c:c eq 'Unified')";
        let mut clauses: Vec<String> = Vec::new();
        let kinds = distinct(&self.kind);
        let kind_clause = |kind: GroupKindChoice| match kind {
            GroupKindChoice::M365 => UNIFIED.to_owned(),
            GroupKindChoice::Security => {
                "mailEnabled eq false and securityEnabled eq true".to_owned()
            }
            GroupKindChoice::MailSecurity => {
                format!("mailEnabled eq true and securityEnabled eq true and NOT {UNIFIED}")
            }
            GroupKindChoice::Distribution => {
                format!("mailEnabled eq true and securityEnabled eq false and NOT {UNIFIED}")
            }
        };
        match kinds.as_slice() {
            [] => {}
            [one] => clauses.push(kind_clause(*one)),
            many => {
                let each: Vec<String> = many
                    .iter()
                    .map(|k| format!("({})", kind_clause(*k)))
                    .collect();
                clauses.push(format!("({})", each.join(" or ")));
            }
        }
        match self.membership {
            Some(MembershipChoice::Dynamic) => {
                clauses.push("groupTypes/any(c:c eq 'DynamicMembership')".to_owned());
            }
            Some(MembershipChoice::Assigned) => {
                clauses.push("NOT groupTypes/any(c:c eq 'DynamicMembership')".to_owned());
            }
            None => {}
        }
        match self.source {
            Some(GroupSourceChoice::Synced) => {
                clauses.push("onPremisesSyncEnabled eq true".to_owned())
            }
            Some(GroupSourceChoice::Cloud) => {
                clauses.push("onPremisesSyncEnabled ne true".to_owned())
            }
            None => {}
        }
        if let Some(r) = self.role_assignable {
            clauses.push(format!("isAssignableToRole eq {r}"));
        }
        if let Some(name) = nonblank(&self.name) {
            clauses.push(format!("startswith(displayName,{})", odata_string(name)));
        }
        if let Some(raw) = nonblank(&self.odata) {
            clauses.push(format!("({raw})"));
        }
        join(clauses)
    }
}

/// Reads a list that older stored jobs wrote as one value (or `null`).
pub fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
    }
    Ok(match Option::<OneOrMany<T>>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(OneOrMany::Many(values)) => values,
        Some(OneOrMany::One(value)) => vec![value],
    })
}

/// The choices of a multi-value picker in their declared order, each once.
pub(crate) fn distinct<T: Ord + Copy>(values: &[T]) -> Vec<T> {
    let mut out = values.to_vec();
    out.sort();
    out.dedup();
    out
}

/// The values of a multi-value picker, trimmed, blanks and repeats left out, in the order given.
pub fn picked(values: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

/// `property eq 'a'` for one value, `property in ('a','b')` for several, nothing for none.
fn any_of(property: &str, values: &[String]) -> Option<String> {
    match picked(values).as_slice() {
        [] => None,
        [one] => Some(format!("{property} eq {}", odata_string(one))),
        many => {
            let literals: Vec<String> = many.iter().map(|v| odata_string(v)).collect();
            Some(format!("{property} in ({})", literals.join(",")))
        }
    }
}

fn nonblank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A date becomes midnight UTC; a date-time is used as given.
fn date_time(text: &str) -> String {
    if text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') {
        format!("{text}T00:00:00Z")
    } else {
        text.to_owned()
    }
}

fn join(clauses: Vec<String>) -> Option<String> {
    (!clauses.is_empty()).then(|| clauses.join(" and "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_pickers_become_one_filter() {
        assert_eq!(UserFilter::default().odata_filter(), None);
        let f = UserFilter {
            user_type: vec![UserTypeChoice::Guest],
            account_enabled: Some(false),
            department: vec!["R&D 'Labs'".into()],
            country: vec!["  ".into()],
            created_from: Some("2024-01-31".into()),
            created_before: Some("2025-01-01T12:00:00Z".into()),
            odata: Some("startswith(displayName,'a') or city eq 'Oslo'".into()),
            ..UserFilter::default()
        };
        assert_eq!(
            f.odata_filter().unwrap(),
            "userType eq 'Guest' and accountEnabled eq false and department eq 'R&D ''Labs''' \
             and createdDateTime ge 2024-01-31T00:00:00Z and createdDateTime lt 2025-01-01T12:00:00Z \
             and (startswith(displayName,'a') or city eq 'Oslo')"
        );
    }

    #[test]
    fn user_search_covers_name_upn_and_mail() {
        let f = UserFilter {
            search: Some("ann \"x\"".into()),
            ..UserFilter::default()
        };
        assert_eq!(
            f.odata_search().unwrap(),
            r#""displayName:ann \"x\"" OR "userPrincipalName:ann \"x\"" OR "mail:ann \"x\"""#
        );
        assert_eq!(UserFilter::default().odata_search(), None);
    }

    #[test]
    fn group_kinds_follow_the_reference_table() {
        let kind = |k| {
            GroupFilter {
                kind: vec![k],
                ..GroupFilter::default()
            }
            .odata_filter()
            .unwrap()
        };
        assert_eq!(
            kind(GroupKindChoice::M365),
            "groupTypes/any(c:c eq 'Unified')"
        );
        assert_eq!(
            kind(GroupKindChoice::Security),
            "mailEnabled eq false and securityEnabled eq true"
        );
        assert_eq!(
            kind(GroupKindChoice::Distribution),
            "mailEnabled eq true and securityEnabled eq false and NOT groupTypes/any(c:c eq 'Unified')"
        );
        let all = GroupFilter {
            kind: vec![GroupKindChoice::MailSecurity],
            membership: Some(MembershipChoice::Dynamic),
            source: Some(GroupSourceChoice::Synced),
            role_assignable: Some(false),
            name: Some("Sales".into()),
            odata: None,
        };
        assert_eq!(
            all.odata_filter().unwrap(),
            "mailEnabled eq true and securityEnabled eq true and NOT groupTypes/any(c:c eq 'Unified') \
             and groupTypes/any(c:c eq 'DynamicMembership') and onPremisesSyncEnabled eq true \
             and isAssignableToRole eq false and startswith(displayName,'Sales')"
        );
        assert_eq!(GroupFilter::default().odata_filter(), None);
    }

    #[test]
    fn values_of_one_picker_are_alternatives() {
        let f = UserFilter {
            department: vec!["Sales".into(), " Legal ".into(), "Sales".into(), "".into()],
            country: vec!["NL".into(), "BE".into()],
            user_type: vec![UserTypeChoice::Guest],
            ..UserFilter::default()
        };
        assert_eq!(
            f.odata_filter().unwrap(),
            "userType eq 'Guest' and department in ('Sales','Legal') and country in ('NL','BE')"
        );
        let groups = GroupFilter {
            kind: vec![GroupKindChoice::Security, GroupKindChoice::M365],
            ..GroupFilter::default()
        };
        assert_eq!(
            groups.odata_filter().unwrap(),
            "((groupTypes/any(c:c eq 'Unified')) or (mailEnabled eq false and securityEnabled eq true))"
        );
        let every_kind = GroupFilter {
            kind: vec![
                GroupKindChoice::M365,
                GroupKindChoice::Security,
                GroupKindChoice::MailSecurity,
                GroupKindChoice::Distribution,
            ],
            ..GroupFilter::default()
        };
        assert_eq!(
            every_kind.odata_filter().unwrap().matches(" or ").count(),
            3
        );
    }

    #[test]
    fn a_job_stored_with_one_value_per_picker_still_reads() {
        let old: UserFilter =
            serde_json::from_str(r#"{"department":"Sales","country":null}"#).unwrap();
        assert_eq!(old.department, vec!["Sales".to_owned()]);
        assert!(old.country.is_empty());
        let groups: GroupFilter = serde_json::from_str(r#"{"kind":"m365"}"#).unwrap();
        assert_eq!(groups.kind, vec![GroupKindChoice::M365]);
        let now: UserFilter = serde_json::from_str(r#"{"department":["A","B"]}"#).unwrap();
        assert_eq!(now.department.len(), 2);
    }

    #[test]
    fn choices_use_the_cli_spelling() {
        assert_eq!(
            serde_json::to_string(&GroupKindChoice::MailSecurity).unwrap(),
            "\"mail-security\""
        );
        assert_eq!(
            serde_json::to_string(&MembershipChoice::Dynamic).unwrap(),
            "\"dynamic\""
        );
    }
}
