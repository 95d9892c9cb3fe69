//! Column spec parsing (`portal|all|a,b,c`) and the `$select`/`$expand` plan of a column list.

use super::{AuthMethodField, Column, ColumnSource};

/// Why a column spec could not be turned into columns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnError {
    /// The spec was empty.
    #[error("no {kind} columns given: use {presets}, or a comma-separated list of column names")]
    Empty {
        /// `user`, `group` or `member`.
        kind: &'static str,
        /// The preset names, e.g. "`portal` or `all`".
        presets: String,
    },
    /// Some names are not known columns.
    #[error("{}", unknown_message(kind, presets, unknown))]
    Unknown {
        /// `user`, `group` or `member`.
        kind: &'static str,
        /// The preset names of this kind, e.g. "`default` or `all`".
        presets: String,
        /// Each unknown name with up to three close known names.
        unknown: Vec<(String, Vec<String>)>,
    },
    /// A property Graph only returns for one object at a time.
    #[error(
        "`{name}` cannot be downloaded for a list of {kind}s: Graph returns it only when one {kind} is read at a time, or never (asking for it in a list fails the request); remove it from the columns"
    )]
    NotListable {
        /// `user` or `group`.
        kind: &'static str,
        /// The property name as given.
        name: String,
    },
}

/// E.g. "unknown member column `portal`; a members download takes `default` or `all`, or a
/// comma-separated list of member column names (case-insensitive): see the column list for every name".
/// It names the kind, so a name meant for another kind of download (`portal` is a users preset) reads
/// as that, not as a typo.
fn unknown_message(kind: &str, presets: &str, unknown: &[(String, Vec<String>)]) -> String {
    let parts: Vec<String> = unknown
        .iter()
        .map(|(name, close)| {
            if close.is_empty() {
                format!("`{name}`")
            } else {
                format!("`{name}` (did you mean {}?)", close.join(", "))
            }
        })
        .collect();
    format!(
        "unknown {kind} column{} {}; a {kind}s download takes {presets}, or a comma-separated list of {kind} column names (case-insensitive): see the column list for every name",
        if unknown.len() == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// Parses a spec against named presets and a list of choosable columns.
pub(crate) fn parse(
    spec: &str,
    kind: &'static str,
    presets: &[(&'static str, Vec<Column>)],
    choices: &[Column],
    not_listable: &[&str],
) -> Result<Vec<Column>, ColumnError> {
    let names: Vec<&str> = spec
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let preset_names = || {
        presets
            .iter()
            .map(|(p, _)| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    if names.is_empty() {
        return Err(ColumnError::Empty {
            kind,
            presets: preset_names(),
        });
    }
    let mut out: Vec<Column> = Vec::new();
    let mut unknown = Vec::new();
    let push = |c: &Column, out: &mut Vec<Column>| {
        if !out.iter().any(|o| o.header == c.header) {
            out.push(c.clone());
        }
    };
    for name in names {
        if let Some((_, cols)) = presets.iter().find(|(p, _)| p.eq_ignore_ascii_case(name)) {
            cols.iter().for_each(|c| push(c, &mut out));
        } else if let Some(c) = find(choices, name) {
            push(c, &mut out);
        } else if let Some(n) = not_listable.iter().find(|n| n.eq_ignore_ascii_case(name)) {
            return Err(ColumnError::NotListable {
                kind,
                name: (*n).to_owned(),
            });
        } else {
            let mut candidates: Vec<&str> = presets.iter().map(|(p, _)| *p).collect();
            candidates.extend(choices.iter().map(|c| c.header.as_ref()));
            unknown.push((name.to_owned(), suggest(name, &candidates)));
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(ColumnError::Unknown {
            kind,
            presets: preset_names(),
            unknown,
        })
    }
}

/// Finds a column by header (case-insensitive), else by the last segment of a path header
/// (`lastSignInDateTime` finds `signInActivity/lastSignInDateTime`) when that is unambiguous.
fn find<'c>(choices: &'c [Column], name: &str) -> Option<&'c Column> {
    if let Some(c) = choices.iter().find(|c| c.header.eq_ignore_ascii_case(name)) {
        return Some(c);
    }
    let mut by_leaf = choices.iter().filter(|c| {
        c.header
            .rsplit_once('/')
            .is_some_and(|(_, leaf)| leaf.eq_ignore_ascii_case(name))
    });
    match (by_leaf.next(), by_leaf.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Up to three known names close to `name`: same prefix/substring or a small edit distance.
fn suggest(name: &str, candidates: &[&str]) -> Vec<String> {
    let wanted = name.to_ascii_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .filter_map(|&c| {
            let lower = c.to_ascii_lowercase();
            let distance = edit_distance(&wanted, &lower);
            let related = wanted.len() >= 3 && (lower.contains(&wanted) || wanted.contains(&lower));
            (distance <= limit || related).then_some((distance, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_owned())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitution.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What a list request must ask Graph for to fill a set of columns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SelectPlan {
    /// `$select` properties, in column order, without duplicates; always starts with `id`
    /// (the runner needs it for paging checkpoints and per-object calls).
    pub select: Vec<&'static str>,
    /// `$expand` value, e.g. `manager($select=id,displayName,userPrincipalName)`.
    pub expand: Option<String>,
    /// One `GET /users/{id}/authentication/phoneMethods` per user is needed.
    pub phone_methods: bool,
    /// One `GET /users/{id}/authentication/emailMethods` per user is needed.
    pub email_methods: bool,
    /// One `GET /subscribedSkus` per download is needed (licence columns).
    pub subscribed_skus: bool,
    /// Largest `$top` Graph accepts for this select (500 with `signInActivity`, else 999).
    pub max_page_size: u32,
    /// Permissions needed beyond reading the directory, for the pre-flight message.
    pub extra_permissions: Vec<&'static str>,
}

impl SelectPlan {
    /// The `$select` query value (`id,displayName,...`).
    pub fn select_param(&self) -> String {
        self.select.join(",")
    }
}

/// Computes the `$select`/`$expand` plan and the per-user calls a column list needs.
pub fn plan_select(columns: &[Column]) -> SelectPlan {
    let mut plan = SelectPlan {
        select: vec!["id"],
        max_page_size: 999,
        ..SelectPlan::default()
    };
    let add_permission = |plan: &mut SelectPlan, p: &'static str| {
        if !plan.extra_permissions.contains(&p) {
            plan.extra_permissions.push(p);
        }
    };
    for column in columns {
        for property in &column.graph_select {
            if !plan.select.contains(property) {
                plan.select.push(property);
            }
        }
        if column.graph_select.contains(&"signInActivity") {
            plan.max_page_size = 500;
            add_permission(&mut plan, "AuditLog.Read.All");
        }
        if column.graph_select.contains(&"customSecurityAttributes") {
            add_permission(&mut plan, "CustomSecAttributeAssignment.Read.All");
        }
        if column.needs_subscribed_skus() {
            plan.subscribed_skus = true;
            add_permission(&mut plan, "LicenseAssignment.Read.All");
        }
        if column.expand() == Some("manager") {
            plan.expand = Some("manager($select=id,displayName,userPrincipalName)".to_owned());
        }
        match column.source {
            ColumnSource::AuthMethod(AuthMethodField::Email) => plan.email_methods = true,
            ColumnSource::AuthMethod(_) => plan.phone_methods = true,
            _ => {}
        }
        if column.needs_auth_methods() {
            add_permission(&mut plan, "UserAuthenticationMethod.Read.All");
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("mail", "mail"), 0);
        assert_eq!(edit_distance("mial", "mail"), 2);
        assert_eq!(edit_distance("mai", "mail"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggestions_prefer_the_closest_names() {
        let names = ["displayName", "department", "mail", "mailNickname"];
        assert_eq!(suggest("displayname2", &names), vec!["displayName"]);
        assert_eq!(suggest("mial", &names), vec!["mail"]);
        assert!(suggest("zzzzzzzz", &names).is_empty());
    }
}
