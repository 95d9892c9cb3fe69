//! A download job's title as a message with a code and parameters (`job.title.KIND`), so a front
//! end words it in the person's language. What the job reads travels as the pickers' values (a
//! department, "guests", a group's name), never as OData or a Graph property name; the English
//! sentence is what the CLI and the stored name show.

use super::filter::{distinct, picked};
use super::{
    GroupFilter, GroupKindChoice, GroupSelection, GroupSourceChoice, JobSpec, MembershipChoice,
    UserFilter, UserTypeChoice,
};
use crate::text::Text;

/// Named groups in a title at most; more are counted.
const NAMED_GROUPS: usize = 3;

/// Between the values of one picker in a title parameter (`Sales\nLegal`): a line break, which no
/// picked department, country or kind holds.
const LIST_SEPARATOR: &str = "\n";

impl JobSpec {
    /// The job's title: code `job.title.KIND` (`.nested` when nested groups are included), the
    /// selection's parameters, and the English sentence.
    pub fn title(&self) -> Text {
        match self {
            Self::DownloadUsers(s) => users_title("job.title.downloadUsers", "Download", &s.filter),
            Self::DownloadGroups(s) => {
                let (params, words) = group_filter(&s.filter);
                with_params(
                    Text::new(
                        "job.title.downloadGroups",
                        with_words("Download groups", &words),
                    ),
                    params,
                )
            }
            Self::DownloadMembers(s) => {
                let (code, what) = if s.transitive {
                    (
                        "job.title.downloadMembers.nested",
                        "Download members, nested included, of",
                    )
                } else {
                    ("job.title.downloadMembers", "Download members of")
                };
                selection_title(code, what, &s.groups)
            }
            Self::DownloadOwners(s) => {
                selection_title("job.title.downloadOwners", "Download owners of", &s.groups)
            }
            Self::DownloadUserGroups(s) => {
                let (code, what) = if s.transitive {
                    (
                        "job.title.downloadUserGroups.nested",
                        "Download groups, nested included, of",
                    )
                } else {
                    ("job.title.downloadUserGroups", "Download groups of")
                };
                users_title(code, what, &s.users)
            }
        }
    }
}

/// The codes of download titles, for the front ends' dictionaries.
pub const TITLE_CODES: &[&str] = &[
    "job.title.downloadUsers",
    "job.title.downloadGroups",
    "job.title.downloadMembers",
    "job.title.downloadMembers.nested",
    "job.title.downloadOwners",
    "job.title.downloadUserGroups",
    "job.title.downloadUserGroups.nested",
];

fn with_params(mut text: Text, params: Vec<(&'static str, String)>) -> Text {
    for (name, value) in params {
        text = text.with(name, value);
    }
    text
}

/// `what (word; word)`, or `what` alone.
fn with_words(what: &str, words: &[String]) -> String {
    if words.is_empty() {
        what.to_owned()
    } else {
        format!("{what} ({})", words.join("; "))
    }
}

/// A title about users: listed ones (`listed` = how many, or `user` = the one), or those a filter
/// selects (its pickers as parameters).
fn users_title(code: &str, what: &str, filter: &UserFilter) -> Text {
    let users_download = code == "job.title.downloadUsers";
    match filter.ids.as_slice() {
        [one] if !users_download => {
            return Text::new(code, format!("{what} {one}")).with("user", one);
        }
        [] => {}
        ids => {
            let english = if users_download {
                format!("Download {} listed users", ids.len())
            } else {
                format!("{what} {} listed users", ids.len())
            };
            return Text::new(code, english).with("listed", ids.len());
        }
    }
    let (params, words) = user_filter(filter);
    let english = if users_download {
        with_words("Download users", &words)
    } else {
        with_words(&format!("{what} users"), &words)
    };
    with_params(Text::new(code, english), params)
}

/// A title about groups: named ones (`groups`, joined by `; `), a count (`groupCount`; object ids
/// are never shown), the signed-in person's own (`owned`), or a filter's pickers.
fn selection_title(code: &str, what: &str, selection: &GroupSelection) -> Text {
    match selection {
        GroupSelection::Groups { groups } => {
            let named = groups.len() <= NAMED_GROUPS && groups.iter().all(|g| !is_object_id(g));
            if named {
                Text::new(code, format!("{what} {}", groups.join(", ")))
                    .with("groups", groups.join("; "))
            } else {
                let noun = if groups.len() == 1 { "group" } else { "groups" };
                Text::new(code, format!("{what} {} {noun}", groups.len()))
                    .with("groupCount", groups.len())
            }
        }
        GroupSelection::Owned => {
            Text::new(code, format!("{what} the groups I own")).with("owned", "true")
        }
        GroupSelection::Filter { filter } => {
            let (params, words) = group_filter(filter);
            let english = if words.is_empty() {
                format!("{what} all groups")
            } else {
                format!("{what} groups ({})", words.join("; "))
            };
            with_params(Text::new(code, english), params)
        }
    }
}

/// Whether `text` is a directory object id (a GUID), which a title never shows.
fn is_object_id(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A users filter's pickers as parameters (the names and values of the UI's filter) and in
/// English words.
fn user_filter(f: &UserFilter) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut params = Vec::new();
    let mut words = Vec::new();
    if let Some(q) = f.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        params.push(("search", q.to_owned()));
        words.push(format!("search \"{q}\""));
    }
    if !f.user_type.is_empty() {
        let (values, words_of): (Vec<&str>, Vec<&str>) = distinct(&f.user_type)
            .iter()
            .map(|t| match t {
                UserTypeChoice::Member => ("member", "members"),
                UserTypeChoice::Guest => ("guest", "guests"),
            })
            .unzip();
        params.push(("userType", values.join(LIST_SEPARATOR)));
        words.push(words_of.join(" or "));
    }
    if let Some(enabled) = f.account_enabled {
        params.push(("accountEnabled", enabled.to_string()));
        words.push(
            if enabled {
                "sign-in allowed"
            } else {
                "sign-in blocked"
            }
            .to_owned(),
        );
    }
    for (name, values, word) in [
        ("department", &f.department, "department is"),
        ("country", &f.country, "country or region is"),
    ] {
        let values = picked(values);
        if !values.is_empty() {
            params.push((name, values.join(LIST_SEPARATOR)));
            words.push(format!("{word} {}", values.join(" or ")));
        }
    }
    for (name, value, word) in [
        ("createdFrom", &f.created_from, "created on or after"),
        ("createdBefore", &f.created_before, "created before"),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            params.push((name, v.to_owned()));
            words.push(format!("{word} {v}"));
        }
    }
    if f.odata.as_deref().is_some_and(|o| !o.trim().is_empty()) {
        params.push(("odata", "true".to_owned()));
        words.push("an advanced filter".to_owned());
    }
    (params, words)
}

/// A groups filter's pickers as parameters (the UI's names and values) and in English words.
fn group_filter(f: &GroupFilter) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut params = Vec::new();
    let mut words = Vec::new();
    if let Some(name) = f.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        params.push(("name", name.to_owned()));
        words.push(format!("name starts with {name}"));
    }
    if !f.kind.is_empty() {
        let (values, words_of): (Vec<&str>, Vec<&str>) = distinct(&f.kind)
            .iter()
            .map(|kind| match kind {
                GroupKindChoice::M365 => ("m365", "Microsoft 365"),
                GroupKindChoice::Security => ("security", "security"),
                GroupKindChoice::MailSecurity => ("mailSecurity", "mail-enabled security"),
                GroupKindChoice::Distribution => ("distribution", "distribution lists"),
            })
            .unzip();
        params.push(("kind", values.join(LIST_SEPARATOR)));
        words.push(words_of.join(" or "));
    }
    if let Some(m) = f.membership {
        let (value, word) = match m {
            MembershipChoice::Assigned => ("assigned", "assigned membership"),
            MembershipChoice::Dynamic => ("dynamic", "dynamic membership"),
        };
        params.push(("membership", value.to_owned()));
        words.push(word.to_owned());
    }
    if let Some(s) = f.source {
        let (value, word) = match s {
            GroupSourceChoice::Cloud => ("cloud", "cloud only"),
            GroupSourceChoice::Synced => ("synced", "synced from on-premises"),
        };
        params.push(("source", value.to_owned()));
        words.push(word.to_owned());
    }
    if let Some(r) = f.role_assignable {
        params.push(("roleAssignable", r.to_string()));
        words.push(
            if r {
                "role-assignable"
            } else {
                "not role-assignable"
            }
            .to_owned(),
        );
    }
    if f.odata.as_deref().is_some_and(|o| !o.trim().is_empty()) {
        params.push(("odata", "true".to_owned()));
        words.push("an advanced filter".to_owned());
    }
    (params, words)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::job::{CsvOutput, DownloadMembers, DownloadUsers};

    fn users(filter: UserFilter) -> JobSpec {
        JobSpec::DownloadUsers(DownloadUsers {
            filter,
            columns: "portal".into(),
            output: CsvOutput::new("u.csv"),
            parallel: None,
        })
    }

    #[test]
    fn a_users_title_has_the_pickers_never_odata() {
        let title = users(UserFilter {
            department: vec!["Sales".into()],
            user_type: vec![UserTypeChoice::Guest],
            account_enabled: Some(false),
            ..UserFilter::default()
        })
        .title();
        assert_eq!(title.code, "job.title.downloadUsers");
        assert_eq!(
            title.english,
            "Download users (guests; sign-in blocked; department is Sales)"
        );
        assert_eq!(title.params["department"], "Sales");
        assert_eq!(title.params["userType"], "guest");
        assert_eq!(title.params["accountEnabled"], "false");
        assert!(!title.english.contains(" eq "), "{}", title.english);
        assert_eq!(
            users(UserFilter::default()).title().english,
            "Download users"
        );
    }

    #[test]
    fn several_values_of_a_picker_are_alternatives_in_a_title() {
        let title = users(UserFilter {
            department: vec!["Sales".into(), "Legal".into()],
            user_type: vec![UserTypeChoice::Guest, UserTypeChoice::Member],
            ..UserFilter::default()
        })
        .title();
        assert_eq!(
            title.english,
            "Download users (members or guests; department is Sales or Legal)"
        );
        assert_eq!(title.params["department"], "Sales\nLegal");
        assert_eq!(title.params["userType"], "member\nguest");
    }

    #[test]
    fn group_ids_are_counted_names_are_shown() {
        let members = |groups: &[&str], transitive| {
            JobSpec::DownloadMembers(DownloadMembers {
                groups: GroupSelection::Groups {
                    groups: groups.iter().map(|g| (*g).to_owned()).collect(),
                },
                transitive,
                columns: None,
                output: CsvOutput::new("m.csv"),
            })
            .title()
        };
        let named = members(&["Sales"], true);
        assert_eq!(named.code, "job.title.downloadMembers.nested");
        assert_eq!(named.params["groups"], "Sales");
        let id = members(&["0b4e1c2a-1111-4222-8333-123456789abc"], false);
        assert_eq!(id.english, "Download members of 1 group");
        assert_eq!(id.params["groupCount"], "1");
        assert!(!id.params.contains_key("groups"));
    }
}
