//! What a file holds (users, groups, members or something else), told from its header, and which
//! columns identify a row. Headers are matched loosely: Roster's Graph names (`id`,
//! `userPrincipalName`), the admin center's (`objectId`, `Object ID`, `User principal name`) and
//! template labels (`Member object ID or user principal name [memberObjectIdOrUpn] Required`)
//! all count.

use serde::Serialize;

/// The kind of objects a file lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FileKind {
    /// One row per user.
    Users,
    /// One row per group.
    Groups,
    /// One row per (group, member) pair, or per member of one group.
    Members,
    /// Anything else.
    Other,
}

impl FileKind {
    /// The word for people ("users file").
    pub fn noun(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Groups => "groups",
            Self::Members => "members",
            Self::Other => "other",
        }
    }
}

/// A header reduced for matching: the `[property]` of a template label when there is one, else
/// the text; lower case, letters and digits only (`Object ID` → `objectid`).
pub fn normalise(header: &str) -> String {
    let inner = match (header.find('['), header.find(']')) {
        (Some(open), Some(close)) if close > open + 1 => &header[open + 1..close],
        _ => header,
    };
    inner
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Names under which a file may carry the object id.
const ID: &[&str] = &["objectid", "id"];
const UPN: &[&str] = &["userprincipalname", "upn"];
const GROUP_ID: &[&str] = &["groupid", "groupobjectid"];
const MEMBER_ID: &[&str] = &["id", "memberid", "memberobjectid", "objectid"];
const MEMBER_TYPE: &[&str] = &["membertype", "memberobjecttype", "objecttype"];
const GROUP_MARKERS: &[&str] = &[
    "grouptypes",
    "grouptype",
    "membershiptype",
    "securityenabled",
    "mailenabled",
    "membershiprule",
    "isassignabletorole",
];

/// The position of the first header matching one of `names` (normalised).
pub fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    names
        .iter()
        .find_map(|name| normalised.iter().position(|h| h == name))
}

/// What the header says the file holds.
pub fn detect(headers: &[String]) -> FileKind {
    let has = |names: &[&str]| find(headers, names).is_some();
    if has(GROUP_ID) && has(MEMBER_ID) || has(MEMBER_TYPE) && has(MEMBER_ID) {
        FileKind::Members
    } else if has(UPN) {
        FileKind::Users
    } else if has(ID) && has(GROUP_MARKERS) {
        FileKind::Groups
    } else {
        FileKind::Other
    }
}

/// The columns that identify a row of a file of `kind`: the object id for users and groups, the
/// group id and member id for members (the member id alone for a one-group file without a group
/// column). None when the header has no such column.
pub fn default_key(kind: FileKind, headers: &[String]) -> Option<Vec<usize>> {
    match kind {
        FileKind::Users | FileKind::Groups => find(headers, ID).map(|i| vec![i]),
        FileKind::Members => {
            let member = find(headers, MEMBER_ID)?;
            match find(headers, GROUP_ID) {
                Some(group) => Some(vec![group, member]),
                None => Some(vec![member]),
            }
        }
        FileKind::Other => None,
    }
}

/// The group id column of a members file, if it has one.
pub fn group_column(headers: &[String]) -> Option<usize> {
    find(headers, GROUP_ID)
}

/// The member id column of a members file.
pub fn member_column(headers: &[String]) -> Option<usize> {
    find(headers, MEMBER_ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn kinds_from_roster_and_admin_center_headers() {
        let portal = h(&["userPrincipalName", "displayName", "objectId", "userType"]);
        assert_eq!(detect(&portal), FileKind::Users);
        assert_eq!(default_key(FileKind::Users, &portal), Some(vec![2]));
        let graph = h(&["id", "displayName", "userPrincipalName"]);
        assert_eq!(default_key(detect(&graph), &graph), Some(vec![0]));
        let members = h(&["groupId", "groupName", "memberType", "id", "displayName"]);
        assert_eq!(detect(&members), FileKind::Members);
        assert_eq!(default_key(FileKind::Members, &members), Some(vec![0, 3]));
        let admin_members = h(&[
            "Object ID",
            "User principal name",
            "Display name",
            "Member type",
        ]);
        assert_eq!(detect(&admin_members), FileKind::Members);
        assert_eq!(
            default_key(FileKind::Members, &admin_members),
            Some(vec![0])
        );
        let groups = h(&["id", "displayName", "groupType", "membershipType"]);
        assert_eq!(detect(&groups), FileKind::Groups);
        assert_eq!(detect(&h(&["a", "b"])), FileKind::Other);
    }

    #[test]
    fn template_labels_match_their_property() {
        assert_eq!(
            normalise("Member object ID or user principal name [memberObjectIdOrUpn] Required"),
            "memberobjectidorupn"
        );
        assert_eq!(normalise("Object ID"), "objectid");
    }
}
