//! The target group: found by object id or display name, classified (graph-api.md §5.1), and
//! refused up front when its members cannot be changed through Graph.

use super::MembershipError;
use roster_core::job::odata_string;
use roster_core::text::Text;
use roster_graph::{ErrorKind, GraphClient, ListQuery};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Group properties the preview needs.
pub(crate) const GROUP_SELECT: &[&str] = &[
    "id",
    "displayName",
    "groupTypes",
    "mailEnabled",
    "securityEnabled",
    "onPremisesSyncEnabled",
    "isAssignableToRole",
    "membershipRule",
];

/// What kind of group it is, in the admin center's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Microsoft 365 group (`groupTypes` contains `Unified`): users only.
    Microsoft365,
    /// Security group: users, groups, devices, service principals, contacts.
    Security,
    /// Mail-enabled security group (managed in Exchange).
    MailEnabledSecurity,
    /// Distribution list (managed in Exchange).
    Distribution,
}

/// The target group of a membership job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroup {
    /// Object id.
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// Kind.
    pub kind: GroupKind,
    /// Dynamic membership (`groupTypes` contains `DynamicMembership`).
    pub dynamic: bool,
    /// Synced from on-premises Active Directory (`onPremisesSyncEnabled` true).
    pub synced: bool,
    /// Role-assignable (`isAssignableToRole` true).
    pub role_assignable: bool,
}

impl TargetGroup {
    /// Reads the classification from a Graph group object.
    pub fn from_json(value: &Value) -> Self {
        let types: Vec<&str> = value["groupTypes"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let has = |t: &str| types.iter().any(|x| x.eq_ignore_ascii_case(t));
        let mail = value["mailEnabled"].as_bool().unwrap_or(false);
        let security = value["securityEnabled"].as_bool().unwrap_or(false);
        let kind = if has("Unified") {
            GroupKind::Microsoft365
        } else {
            match (mail, security) {
                (true, true) => GroupKind::MailEnabledSecurity,
                (true, false) => GroupKind::Distribution,
                _ => GroupKind::Security,
            }
        };
        Self {
            id: value["id"].as_str().unwrap_or_default().to_owned(),
            display_name: value["displayName"].as_str().unwrap_or_default().to_owned(),
            kind,
            dynamic: has("DynamicMembership"),
            synced: value["onPremisesSyncEnabled"].as_bool() == Some(true),
            role_assignable: value["isAssignableToRole"].as_bool() == Some(true),
        }
    }

    /// Why the members of this group cannot be changed here, when they cannot.
    pub fn refusal(&self) -> Option<Text> {
        let name = &self.display_name;
        let coded =
            |code: &str, english: String| Some(Text::new(code, english).with("group", name));
        if self.dynamic {
            return coded(
                "membership.refusal.dynamic",
                format!(
                    "'{name}' has dynamic membership: its members come from its membership rule and cannot be added or removed by hand. Change the rule in the Entra admin center instead."
                ),
            );
        }
        if self.synced {
            return coded(
                "membership.refusal.synced",
                format!(
                    "'{name}' is synced from on-premises Active Directory: change its members there (Active Directory Users and Computers or PowerShell), and the next sync brings them to Entra ID."
                ),
            );
        }
        match self.kind {
            GroupKind::MailEnabledSecurity => coded(
                "membership.refusal.mailEnabledSecurity",
                format!(
                    "'{name}' is a mail-enabled security group: its members are managed in Exchange Online (Exchange admin center or Add-DistributionGroupMember), not through Microsoft Graph."
                ),
            ),
            GroupKind::Distribution => coded(
                "membership.refusal.distribution",
                format!(
                    "'{name}' is a distribution list: its members are managed in Exchange Online (Exchange admin center or Add-DistributionGroupMember), not through Microsoft Graph."
                ),
            ),
            GroupKind::Microsoft365 | GroupKind::Security => None,
        }
    }

    /// A warning to show before applying, when the group needs more than the usual permission.
    pub fn notice(&self) -> Option<Text> {
        self.role_assignable.then(|| {
            Text::new(
                "membership.notice.roleAssignable",
                format!(
                    "'{}' is role-assignable: changing its members needs the RoleManagement.ReadWrite.Directory permission and the Privileged Role Administrator role, besides GroupMember.ReadWrite.All. Without them the change is refused; a Privileged Role Administrator can change its members in the Entra admin center instead.",
                    self.display_name
                ),
            )
            .with("group", &self.display_name)
        })
    }

    /// Whether an object of `odata_type` (`#microsoft.graph.user`, ...) with id `id` may be a
    /// member; `member_is_m365` says whether a group member is itself a Microsoft 365 group.
    pub fn accepts(&self, odata_type: &str, id: &str, member_is_m365: bool) -> Result<(), String> {
        let short = odata_type.trim_start_matches("#microsoft.graph.");
        if self.kind == GroupKind::Microsoft365 && short != "user" {
            return Err(format!(
                "A Microsoft 365 group can contain only users; this is a {}",
                type_words(short)
            ));
        }
        if short == "group" {
            if id.eq_ignore_ascii_case(&self.id) {
                return Err("A group cannot be a member of itself".into());
            }
            if member_is_m365 {
                return Err("A Microsoft 365 group cannot be a member of another group".into());
            }
        }
        Ok(())
    }
}

/// "device", "service principal", ... for messages.
pub(crate) fn type_words(short: &str) -> &'static str {
    match short {
        "user" => "user",
        "group" => "group",
        "device" => "device",
        "servicePrincipal" => "service principal",
        "orgContact" => "organizational contact",
        _ => "directory object",
    }
}

fn is_guid(value: &str) -> bool {
    value.len() == 36
        && value.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Finds the group named by `id_or_name`: an object id, else an exact display name (which must
/// name exactly one group).
pub async fn find_group(
    client: &GraphClient,
    id_or_name: &str,
) -> Result<TargetGroup, MembershipError> {
    let wanted = id_or_name.trim();
    if wanted.is_empty() {
        return Err(MembershipError::Group(
            "no group given: pass the group's object ID or display name".into(),
        ));
    }
    if is_guid(wanted) {
        return match client.get_group(wanted, GROUP_SELECT).await {
            Ok(value) => Ok(TargetGroup::from_json(&value)),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(MembershipError::Group(format!(
                "no group has the object ID {wanted}: check the ID (Entra admin center > Groups > the group > Overview)"
            ))),
            Err(e) => Err(e.into()),
        };
    }
    let query = ListQuery::new()
        .select(GROUP_SELECT.iter().copied())
        .filter(format!("displayName eq {}", odata_string(wanted)))
        .top(5);
    let found = client.list_groups(&query)?.collect_all().await?;
    match found.as_slice() {
        [] => Err(MembershipError::Group(format!(
            "no group is named '{wanted}': check the spelling, or pass the group's object ID"
        ))),
        [one] => Ok(TargetGroup::from_json(one)),
        many => {
            let ids: Vec<&str> = many.iter().filter_map(|g| g["id"].as_str()).collect();
            Err(MembershipError::Group(format!(
                "{} groups are named '{wanted}' ({}): pass the object ID of the one you mean",
                many.len(),
                ids.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classification_follows_the_documented_table() {
        let g = |types: Value, mail: bool, sec: bool| {
            TargetGroup::from_json(&json!({"id": "g", "displayName": "G", "groupTypes": types,
                "mailEnabled": mail, "securityEnabled": sec}))
        };
        assert_eq!(
            g(json!(["Unified"]), true, false).kind,
            GroupKind::Microsoft365
        );
        assert_eq!(g(json!([]), false, true).kind, GroupKind::Security);
        assert_eq!(
            g(json!([]), true, true).kind,
            GroupKind::MailEnabledSecurity
        );
        assert_eq!(g(json!([]), true, false).kind, GroupKind::Distribution);
        let dynamic = g(json!(["DynamicMembership"]), false, true);
        assert!(dynamic.dynamic);
        assert!(
            dynamic
                .refusal()
                .unwrap()
                .english
                .contains("dynamic membership")
        );
        assert!(
            g(json!([]), true, false)
                .refusal()
                .unwrap()
                .english
                .contains("Exchange")
        );
        assert!(g(json!([]), false, true).refusal().is_none());
    }

    #[test]
    fn member_types_per_group_kind() {
        let m365 = TargetGroup::from_json(
            &json!({"id": "g1", "displayName": "T", "groupTypes": ["Unified"], "mailEnabled": true}),
        );
        assert!(m365.accepts("#microsoft.graph.user", "u", false).is_ok());
        assert!(
            m365.accepts("#microsoft.graph.device", "d", false)
                .unwrap_err()
                .contains("only users")
        );
        let sec = TargetGroup::from_json(
            &json!({"id": "g2", "displayName": "S", "groupTypes": [], "securityEnabled": true}),
        );
        assert!(sec.accepts("#microsoft.graph.device", "d", false).is_ok());
        assert!(sec.accepts("#microsoft.graph.group", "g2", false).is_err());
        assert!(sec.accepts("#microsoft.graph.group", "g3", true).is_err());
        assert!(sec.accepts("#microsoft.graph.group", "g3", false).is_ok());
    }
}
