//! The rule lab: a dynamic membership rule evaluated on a users file, and with the group's current
//! members (a members file) who would join, leave or stay.
//!
//! Columns are found by the rule's property names, or the names Roster, Graph and the admin center
//! write for them (`objectId`/`id`, `mobile`/`mobilePhone`, `physicalDeliveryOfficeName`/
//! `officeLocation`, `otherMails`/`alternateEmailAddress`...). A property the file has no column
//! for is refused, never read as empty. Multi-valued cells are Roster's `;`-joined values or a
//! JSON array; `assignedPlans` is Graph's JSON array of plan objects.
//!
//! Order of the results: joiners and stayers in the users file's order, then leavers in the
//! members file's order.

use crate::error::ReviewError;
use crate::kind::{self, FileKind, normalise};
use crate::table::Table;
use chrono::{DateTime, Utc};
use roster_core::text::Text;
use roster_rules::{AssignedPlan, PropertyKind, Rule, UserValues};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The header names (normalised) a rule property may have in a file, best first.
fn aliases(property: &str) -> Vec<String> {
    let extra: &[&str] = match property {
        "objectId" => &["objectid", "id"],
        "userPrincipalName" => &["userprincipalname", "upn", "username"],
        "mobile" => &["mobile", "mobilephone"],
        "telephoneNumber" => &["telephonenumber", "businessphones", "officephone"],
        "physicalDeliveryOfficeName" => &["physicaldeliveryofficename", "officelocation", "office"],
        "facsimileTelephoneNumber" => &["facsimiletelephonenumber", "faxnumber"],
        "dirSyncEnabled" => &["dirsyncenabled", "onpremisessyncenabled"],
        "otherMails" => &["othermails", "alternateemailaddress"],
        "employeeHireDate" => &["employeehiredate", "hiredate"],
        "manager" => &["managerid", "managerobjectid", "manager"],
        _ => &[],
    };
    let mut names: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    let own = normalise(property);
    if !names.contains(&own) {
        names.push(own.clone());
    }
    if let Some(n) = property.strip_prefix("extensionAttribute") {
        names.push(format!(
            "onpremisesextensionattributesextensionattribute{n}"
        ));
    }
    names
}

/// Where each of a rule's properties is read from.
enum Source {
    Column(usize),
    MemberOf,
}

/// A rule bound to a users file (and a members file for `memberOf` and join/leave).
pub struct Binding<'a> {
    rule: &'a Rule,
    users: &'a Table,
    sources: Vec<Source>,
    id_column: usize,
    groups_of: HashMap<&'a str, Vec<&'a str>>,
}

/// The columns a rule needs that the users file lacks, by rule property name.
pub fn missing_properties(rule: &Rule, users: &Table) -> Vec<String> {
    let headers = users.headers();
    rule.properties()
        .iter()
        .filter(|p| p.kind != PropertyKind::MemberOf)
        .filter(|p| {
            kind::find(
                &headers,
                &aliases(&p.name)
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            )
            .is_none()
        })
        .map(|p| p.name.clone())
        .collect()
}

impl<'a> Binding<'a> {
    /// Binds `rule` to `users`; `members` supplies memberships for `user.memberOf`.
    pub fn new(
        rule: &'a Rule,
        users: &'a Table,
        members: Option<&'a Table>,
    ) -> Result<Self, ReviewError> {
        if users.kind != FileKind::Users {
            return Err(ReviewError::NotUsers {
                kind: users.kind.noun().to_owned(),
            });
        }
        let missing = missing_properties(rule, users);
        if !missing.is_empty() {
            return Err(ReviewError::MissingProperties {
                missing: missing.join(", "),
            });
        }
        let headers = users.headers();
        let sources = rule
            .properties()
            .iter()
            .map(|p| match p.kind {
                PropertyKind::MemberOf => Ok(Source::MemberOf),
                _ => {
                    let names = aliases(&p.name);
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    kind::find(&headers, &names)
                        .map(Source::Column)
                        .ok_or_else(|| ReviewError::MissingProperties {
                            missing: p.name.clone(),
                        })
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let id_column = kind::find(&headers, &["objectid", "id"]).ok_or_else(|| {
            ReviewError::MissingProperties {
                missing: "objectId".to_owned(),
            }
        })?;
        let needs_groups = sources.iter().any(|s| matches!(s, Source::MemberOf));
        let groups_of = match (needs_groups, members) {
            (false, _) => HashMap::new(),
            (true, Some(m)) => memberships(m)?,
            (true, None) => return Err(ReviewError::NeedsMembers),
        };
        Ok(Self {
            rule,
            users,
            sources,
            id_column,
            groups_of,
        })
    }

    /// True when the user on `row` matches.
    pub fn matches(&self, row: u32, now: DateTime<Utc>) -> bool {
        self.rule.evaluate(&Row { binding: self, row }, now)
    }

    /// The rows that match, in file order.
    pub fn matching_rows(&self, now: DateTime<Utc>) -> Vec<u32> {
        (0..self.users.rows() as u32)
            .filter(|&r| self.matches(r, now))
            .collect()
    }
}

/// Every member id's groups, from a members file with a group column.
fn memberships(members: &Table) -> Result<HashMap<&str, Vec<&str>>, ReviewError> {
    let headers = members.headers();
    let (Some(group), Some(member)) = (kind::group_column(&headers), kind::member_column(&headers))
    else {
        return Err(ReviewError::NotMembers {
            kind: members.kind.noun().to_owned(),
        });
    };
    let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
    for row in 0..members.rows() as u32 {
        map.entry(members.cell(row, member))
            .or_default()
            .push(members.cell(row, group));
    }
    Ok(map)
}

struct Row<'b, 'a> {
    binding: &'b Binding<'a>,
    row: u32,
}

impl Row<'_, '_> {
    fn cell(&self, slot: usize) -> &str {
        match self.binding.sources.get(slot) {
            Some(Source::Column(c)) => self.binding.users.cell(self.row, *c),
            _ => "",
        }
    }
}

/// Splits a multi-valued cell: a JSON array of strings, or values joined with `;`.
fn split_items(cell: &str) -> Vec<&str> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Vec::new();
    }
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn json_items(cell: &str) -> Vec<String> {
    serde_json::from_str::<Vec<serde_json::Value>>(cell.trim())
        .map(|items| {
            items
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl UserValues for Row<'_, '_> {
    fn text(&self, slot: usize) -> Option<&str> {
        let cell = self.cell(slot);
        (!cell.is_empty()).then_some(cell)
    }

    fn items(&self, slot: usize) -> Vec<&str> {
        match self.binding.sources.get(slot) {
            Some(Source::MemberOf) => {
                let id = self.binding.users.cell(self.row, self.binding.id_column);
                self.binding.groups_of.get(id).cloned().unwrap_or_default()
            }
            _ => {
                let cell = self.cell(slot);
                if cell.trim_start().starts_with('[') {
                    return json_literals(cell);
                }
                split_items(cell)
            }
        }
    }

    fn plans(&self, slot: usize) -> Vec<AssignedPlan> {
        let cell = self.cell(slot).trim();
        if cell.is_empty() {
            return Vec::new();
        }
        let field = |v: &serde_json::Value, name: &str| {
            v.get(name)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        serde_json::from_str::<Vec<serde_json::Value>>(cell)
            .map(|plans| {
                plans
                    .iter()
                    .map(|p| AssignedPlan {
                        service_plan_id: field(p, "servicePlanId"),
                        capability_status: field(p, "capabilityStatus"),
                        service: field(p, "service"),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The string literals of a JSON array of strings, borrowed from the cell (escapes are rare in
/// addresses; a literal with a backslash is left out rather than misread).
fn json_literals(cell: &str) -> Vec<&str> {
    if json_items(cell).is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        let literal = &after[..end];
        if !literal.contains('\\') {
            out.push(literal);
        }
        rest = &after[end + 1..];
    }
    out
}

/// What a rule does on a file: who matches, and with current members who joins, leaves, stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCounts {
    /// Users evaluated.
    pub evaluated: u64,
    /// Users the rule matches.
    pub matched: u64,
    /// Matched and not a member yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join: Option<u64>,
    /// A member now, not matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leave: Option<u64>,
    /// A member now and matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stay: Option<u64>,
}

/// Which list of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    /// Would be added.
    Join,
    /// Would be removed.
    Leave,
    /// Already a member and still matched.
    Stay,
}

impl Change {
    /// The word in the `change` column.
    pub fn word(self) -> &'static str {
        match self {
            Self::Join => "join",
            Self::Leave => "leave",
            Self::Stay => "stay",
        }
    }
}

/// One person in a result: a users-file row, or a members-file row for a leaver the users file
/// does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    /// A row of the users file.
    User(u32),
    /// A row of the members file.
    Member(u32),
}

/// The result of a rule on a file.
pub struct Outcome {
    /// The counts.
    pub counts: RuleCounts,
    /// Matched users (without members) or every join/leave/stay (with), in the documented order.
    pub people: Vec<(Option<Change>, Person)>,
    /// Things to know (members absent from the users file).
    pub notices: Vec<Text>,
}

/// The current members of the group: the user members of a one-group members file.
pub struct CurrentMembers<'a> {
    table: &'a Table,
    member_column: usize,
    rows: Vec<u32>,
}

impl<'a> CurrentMembers<'a> {
    /// The user members of `group` in `members` (the only group when None; a file of several
    /// groups needs one named).
    pub fn new(members: &'a Table, group: Option<&str>) -> Result<Self, ReviewError> {
        let headers = members.headers();
        if members.kind != FileKind::Members {
            return Err(ReviewError::NotMembers {
                kind: members.kind.noun().to_owned(),
            });
        }
        let member_column =
            kind::member_column(&headers).ok_or_else(|| ReviewError::NotMembers {
                kind: members.kind.noun().to_owned(),
            })?;
        let type_column = kind::find(&headers, &["membertype", "memberobjecttype", "objecttype"]);
        let group_column = kind::group_column(&headers);
        let groups: HashSet<&str> = group_column
            .map(|g| {
                (0..members.rows() as u32)
                    .map(|r| members.cell(r, g))
                    .collect()
            })
            .unwrap_or_default();
        if group.is_none() && groups.len() > 1 {
            return Err(ReviewError::SeveralGroups {
                count: groups.len() as u64,
            });
        }
        let rows = (0..members.rows() as u32)
            .filter(|&r| match (group, group_column) {
                (Some(g), Some(c)) => members.cell(r, c).eq_ignore_ascii_case(g),
                _ => true,
            })
            .filter(|&r| {
                type_column.is_none_or(|c| {
                    let t = members.cell(r, c);
                    t.is_empty() || t.eq_ignore_ascii_case("user")
                })
            })
            .collect();
        Ok(Self {
            table: members,
            member_column,
            rows,
        })
    }
}

/// Evaluates `binding` on every user; with `current`, sorts them into join, leave and stay.
pub fn evaluate(
    binding: &Binding<'_>,
    current: Option<&CurrentMembers<'_>>,
    now: DateTime<Utc>,
) -> Outcome {
    let matched = binding.matching_rows(now);
    let evaluated = binding.users.rows() as u64;
    let Some(current) = current else {
        return Outcome {
            counts: RuleCounts {
                evaluated,
                matched: matched.len() as u64,
                join: None,
                leave: None,
                stay: None,
            },
            people: matched
                .into_iter()
                .map(|r| (None, Person::User(r)))
                .collect(),
            notices: Vec::new(),
        };
    };
    let member_ids: HashSet<String> = current
        .rows
        .iter()
        .map(|&r| {
            current
                .table
                .cell(r, current.member_column)
                .to_ascii_lowercase()
        })
        .collect();
    let id_of = |r: u32| {
        binding
            .users
            .cell(r, binding.id_column)
            .to_ascii_lowercase()
    };
    let mut people = Vec::new();
    let (mut join, mut stay) = (0, 0);
    let mut matched_ids = HashSet::new();
    for &r in &matched {
        let id = id_of(r);
        let change = if member_ids.contains(&id) {
            stay += 1;
            Change::Stay
        } else {
            join += 1;
            Change::Join
        };
        matched_ids.insert(id);
        people.push((Some(change), Person::User(r)));
    }
    let user_rows: HashMap<String, u32> = (0..binding.users.rows() as u32)
        .map(|r| (id_of(r), r))
        .collect();
    let mut leave = 0;
    let mut absent = 0u64;
    let mut seen = HashSet::new();
    for &m in &current.rows {
        let id = current
            .table
            .cell(m, current.member_column)
            .to_ascii_lowercase();
        if matched_ids.contains(&id) || !seen.insert(id.clone()) {
            continue;
        }
        leave += 1;
        match user_rows.get(&id) {
            Some(&r) => people.push((Some(Change::Leave), Person::User(r))),
            None => {
                absent += 1;
                people.push((Some(Change::Leave), Person::Member(m)));
            }
        }
    }
    let mut notices = Vec::new();
    if absent > 0 {
        notices.push(
            Text::new(
                "review.notice.membersNotInUsers",
                format!("{absent} current members are not in the users file: they are counted as leaving; download all users to be sure"),
            )
            .with("count", absent),
        );
    }
    Outcome {
        counts: RuleCounts {
            evaluated,
            matched: matched.len() as u64,
            join: Some(join),
            leave: Some(leave),
            stay: Some(stay),
        },
        people,
        notices,
    }
}

/// The columns of a result row: the id, userPrincipalName and displayName (by the users file's
/// own header names), and the cells of `person`.
pub fn person_cells(
    binding: &Binding<'_>,
    current: Option<&CurrentMembers<'_>>,
    person: Person,
) -> [String; 3] {
    let wanted = [
        &["objectid", "id"][..],
        &["userprincipalname", "upn"][..],
        &["displayname"][..],
    ];
    match person {
        Person::User(r) => {
            let headers = binding.users.headers();
            wanted.map(|names| {
                kind::find(&headers, names)
                    .map_or(String::new(), |c| binding.users.cell(r, c).to_owned())
            })
        }
        Person::Member(r) => {
            let Some(current) = current else {
                return Default::default();
            };
            let headers = current.table.headers();
            let mut cells = wanted.map(|names| {
                kind::find(&headers, names)
                    .map_or(String::new(), |c| current.table.cell(r, c).to_owned())
            });
            cells[0] = current.table.cell(r, current.member_column).to_owned();
            cells
        }
    }
}

/// The result header: the users file's names for id, UPN and display name.
pub fn result_header(binding: &Binding<'_>) -> [String; 3] {
    let headers = binding.users.headers();
    let name = |names: &[&str], fallback: &str| {
        kind::find(&headers, names).map_or(fallback.to_owned(), |c| headers[c].clone())
    };
    [
        headers[binding.id_column].clone(),
        name(&["userprincipalname", "upn"], "userPrincipalName"),
        name(&["displayname"], "displayName"),
    ]
}

/// Writes a result as CSV: the id, userPrincipalName and displayName columns (the users file's
/// names), preceded by `change` when there are current members; returns the rows written.
pub fn write_csv(
    binding: &Binding<'_>,
    current: Option<&CurrentMembers<'_>>,
    outcome: &Outcome,
    dest: &std::path::Path,
    options: roster_csv::WriterOptions,
) -> Result<u64, ReviewError> {
    let with_change = current.is_some();
    crate::export::write_csv_file(dest, options, |writer| {
        let mut header: Vec<String> = Vec::new();
        if with_change {
            header.push("change".to_owned());
        }
        header.extend(result_header(binding));
        writer.write_record(&header)?;
        for (change, person) in &outcome.people {
            let cells = person_cells(binding, current, *person);
            let mut row: Vec<&str> = Vec::with_capacity(4);
            if with_change {
                row.push(change.map_or("", Change::word));
            }
            row.extend(cells.iter().map(String::as_str));
            writer.write_record(row)?;
        }
        Ok(outcome.people.len() as u64)
    })
}

/// A test for the headers a rule needs (its properties' columns, the id, UPN and display name):
/// reading only those makes evaluation on a large file fast.
pub fn needed_columns(rule: &Rule) -> impl Fn(&str) -> bool + use<> {
    let mut names: HashSet<String> = ["objectid", "id", "userprincipalname", "upn", "displayname"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for p in rule.properties() {
        names.extend(aliases(&p.name));
    }
    move |header: &str| names.contains(&normalise(header))
}
