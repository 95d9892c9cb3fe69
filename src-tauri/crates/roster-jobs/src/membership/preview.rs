//! The preview: every row resolved, checked against the group's type rules and current
//! membership, and given a planned state, before anything changes.

use super::group::{TargetGroup, find_group, type_words};
use super::outcome::{MembershipOp, RowState, StateCounts};
use super::resolve::{Lookup, ResolvedObject, normalise_id, resolve_ids, resolve_names};
use super::{EngineConfig, MembershipError};
use roster_core::text::Text;
use roster_csv::{InputKind, MemberFile};
use roster_graph::query::encode_segment;
use roster_graph::{BatchRequest, GraphClient, ListQuery, Resource};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// One input row and what will (or did) happen to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRow {
    /// 1-based line (CSV) or sheet row (workbook).
    pub line: u64,
    /// The value as read (trimmed).
    pub input: String,
    /// The identifier cell exactly as read, when it is not `input` (spaces, quotes, `<...>` or
    /// `mailto:` around the value): what the person typed, for showing beside what it became.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// The object it resolved to.
    pub object: Option<ResolvedObject>,
    /// Its state.
    pub state: RowState,
    /// Why, as a message (its English sentence in results files and JSON).
    #[serde(with = "roster_core::text::as_english")]
    pub reason: Text,
}

impl PlannedRow {
    fn new(line: usize, input: &str, state: RowState) -> Self {
        Self {
            line: line as u64,
            input: input.to_owned(),
            raw: None,
            object: None,
            state,
            reason: state.reason(),
        }
    }

    /// Sets the state and its default reason.
    pub fn set(&mut self, state: RowState) {
        self.state = state;
        self.reason = state.reason();
    }

    /// Whether the row resolved to a guest user.
    pub fn is_guest(&self) -> bool {
        self.object.as_ref().is_some_and(ResolvedObject::is_guest)
    }
}

/// How the current membership was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MembershipCheck {
    /// The group's direct members were listed once.
    Listed {
        /// Direct members counted.
        members: u64,
    },
    /// Each resolved object was checked through `$batch` (large group, few rows).
    PerObject,
}

/// The result of [`preview`]: counts, rows, notices; nothing has changed yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Add or remove.
    pub op: MembershipOp,
    /// The target group.
    pub group: TargetGroup,
    /// Every input row (blank lines excluded; see `counts.blank`), in file order.
    pub rows: Vec<PlannedRow>,
    /// Tallies by state.
    pub counts: StateCounts,
    /// Things to tell the person before they confirm (role-assignable group, skipped template rows).
    #[serde(with = "roster_core::text::as_english_list")]
    pub notices: Vec<Text>,
    /// How membership was checked.
    pub check: MembershipCheck,
}

impl Preview {
    /// Rows that will be sent to Graph.
    pub fn pending(&self) -> usize {
        self.rows.iter().filter(|r| r.state.is_pending()).count()
    }

    /// Recounts `counts` from `rows` (blank count kept).
    pub fn recount(&mut self) {
        let blank = self.counts.blank;
        self.counts = StateCounts::default();
        for row in &self.rows {
            self.counts.add(row.state);
        }
        self.counts.blank = blank;
    }
}

/// Finds the group, refuses it when its members cannot be changed here, resolves every row
/// and checks membership. Reads only.
pub async fn preview(
    client: &GraphClient,
    config: &EngineConfig,
    op: MembershipOp,
    group: &str,
    file: &MemberFile,
) -> Result<Preview, MembershipError> {
    let group = find_group(client, group).await?;
    if let Some(reason) = group.refusal() {
        return Err(MembershipError::Refused(reason));
    }
    let mut notices: Vec<Text> = group.notice().into_iter().collect();
    if !file.example_lines.is_empty() {
        let lines = join_lines(&file.example_lines);
        notices.push(
            Text::new(
                "membership.notice.exampleRowSkipped",
                format!("Skipped the template's example row (line {lines})."),
            )
            .with("lines", lines),
        );
    }
    let (mut rows, blank) = initial_rows(file);

    let ids: Vec<String> = file
        .rows
        .iter()
        .filter(|r| r.is_actionable() && r.kind == InputKind::Id)
        .map(|r| r.value.clone())
        .collect();
    let names: Vec<String> = file
        .rows
        .iter()
        .filter(|r| r.is_actionable() && matches!(r.kind, InputKind::Upn | InputKind::Mail))
        .map(|r| r.value.clone())
        .collect();
    let by_id = resolve_ids(client, &ids).await?;
    let (by_name, contacts_read) = resolve_names(client, &names).await?;
    if !contacts_read {
        notices.push(Text::new(
            "membership.notice.contactsNotRead",
            "mail addresses were matched against users only: this sign-in may not read \
             organisational contacts (OrgContact.Read.All or Directory.Read.All), so a mail \
             shared by a user and a contact is not reported as ambiguous",
        ));
    }
    for (row, input) in rows
        .iter_mut()
        .zip(file.rows.iter().filter(|r| r.kind != InputKind::Blank))
    {
        if row.state != RowState::WillAdd {
            continue;
        }
        let lookup = match input.kind {
            InputKind::Id => by_id.get(&normalise_id(&input.value)),
            _ => by_name.get(&input.value.to_lowercase()),
        };
        apply_lookup(row, lookup, &group, op);
    }
    // Two different spellings (id and UPN) of one object: the second is a duplicate.
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in rows.iter_mut() {
        if let (RowState::WillAdd | RowState::WrongType, Some(object)) = (row.state, &row.object) {
            if let Some(first) = seen.get(&object.id) {
                row.state = RowState::Duplicate;
                row.reason = Text::new(
                    "membership.reason.sameObject",
                    format!("Same object as line {first}; that line is processed"),
                )
                .with("line", first);
            } else {
                seen.insert(object.id.clone(), row.line);
            }
        }
    }
    let candidates: Vec<String> = rows
        .iter()
        .filter(|r| r.state == RowState::WillAdd)
        .filter_map(|r| r.object.as_ref().map(|o| o.id.clone()))
        .collect();
    let (members, check) = current_members(client, config, &group, &candidates).await?;
    for row in rows.iter_mut().filter(|r| r.state == RowState::WillAdd) {
        let is_member = row.object.as_ref().is_some_and(|o| members.contains(&o.id));
        let state = match (op, is_member) {
            (MembershipOp::Add, true) | (MembershipOp::Remove, false) => {
                RowState::nothing_to_do(op)
            }
            _ => RowState::planned(op),
        };
        row.set(state);
    }
    let mut preview = Preview {
        op,
        group,
        rows,
        counts: StateCounts {
            blank,
            ..StateCounts::default()
        },
        notices,
        check,
    };
    preview.recount();
    Ok(preview)
}

/// Rows from the file with their reader-level states; rows still to resolve are `WillAdd` as
/// a placeholder. Returns the rows and the number of blank lines.
fn initial_rows(file: &MemberFile) -> (Vec<PlannedRow>, u64) {
    let mut blank = 0;
    let mut rows = Vec::with_capacity(file.rows.len());
    for input in &file.rows {
        let mut row = match (&input.kind, input.duplicate_of) {
            (InputKind::Blank, _) => {
                blank += 1;
                continue;
            }
            (InputKind::Invalid(reason), _) => {
                let mut row = PlannedRow::new(input.line, &input.value, RowState::Invalid);
                row.reason = Text::plain(roster_core::text::sentence(reason));
                row
            }
            (_, Some(first)) => {
                let mut row = PlannedRow::new(input.line, &input.value, RowState::Duplicate);
                row.reason = Text::new(
                    "membership.reason.sameValue",
                    format!("Same value as line {first}; that line is processed"),
                )
                .with("line", first);
                row
            }
            _ => PlannedRow::new(input.line, &input.value, RowState::WillAdd),
        };
        if input.raw != input.value {
            row.raw = Some(input.raw.clone());
        }
        rows.push(row);
    }
    (rows, blank)
}

/// Applies a lookup result to a row being resolved.
pub(crate) fn apply_lookup(
    row: &mut PlannedRow,
    lookup: Option<&Lookup>,
    group: &TargetGroup,
    op: MembershipOp,
) {
    match lookup {
        None | Some(Lookup::NotFound) => row.set(RowState::NotFound),
        Some(Lookup::Ambiguous(objects)) => {
            row.set(RowState::Ambiguous);
            let named: Vec<String> = objects
                .iter()
                .map(|o| match &o.display_name {
                    Some(name) => format!("{} '{name}' {}", o.object_type, o.id),
                    None => format!("{} {}", o.object_type, o.id),
                })
                .collect();
            let objects_named = named.join(", ");
            row.reason = Text::new(
                "membership.reason.sharedMail",
                format!(
                    "{} objects have this mail address ({objects_named}); use the object ID or user principal name instead",
                    objects.len(),
                ),
            )
            .with("count", objects.len())
            .with("objects", objects_named);
        }
        Some(Lookup::Found(object)) => {
            row.object = Some(object.clone());
            if op == MembershipOp::Add
                && let Err(why) =
                    group.accepts(&object.object_type, &object.id, object.is_m365_group)
            {
                row.set(RowState::WrongType);
                row.reason = Text::plain(why);
            } else if op == MembershipOp::Add && object.object_type == "directoryObject" {
                row.set(RowState::WrongType);
                let kind = type_words(&object.object_type);
                row.reason = Text::new(
                    "membership.reason.cannotBeMember",
                    format!("A {kind} cannot be a group member"),
                )
                .with("type", &object.object_type);
            }
        }
    }
}

/// Direct members of `group` among `candidates` (lower-case ids): the whole list when the
/// group is small enough, else one check per object.
async fn current_members(
    client: &GraphClient,
    config: &EngineConfig,
    group: &TargetGroup,
    candidates: &[String],
) -> Result<(HashSet<String>, MembershipCheck), MembershipError> {
    if candidates.is_empty() {
        return Ok((HashSet::new(), MembershipCheck::PerObject));
    }
    let path = format!("/groups/{}/members", encode_segment(&group.id));
    let size = client.count(&path, &ListQuery::new()).await?;
    if size <= config.list_members_threshold {
        let pager =
            client.list_members(&group.id, &ListQuery::new().select(["id"]).top(999), false)?;
        let members: HashSet<String> = pager
            .collect_all()
            .await?
            .iter()
            .filter_map(|m| m["id"].as_str().map(str::to_ascii_lowercase))
            .collect();
        let listed = members.len() as u64;
        let wanted: HashSet<&String> = candidates.iter().collect();
        let members = members.into_iter().filter(|m| wanted.contains(m)).collect();
        return Ok((members, MembershipCheck::Listed { members: listed }));
    }
    let requests: Vec<BatchRequest> = candidates
        .chunks(super::resolve::IN_FILTER_VALUES)
        .enumerate()
        .map(|(i, chunk)| {
            let list: Vec<String> = chunk.iter().map(|id| format!("'{id}'")).collect();
            let query = ListQuery::new()
                .select(["id"])
                .filter(format!("id in ({})", list.join(",")))
                .top(999);
            BatchRequest::list(i.to_string(), &path, &query, Resource::Members)
        })
        .collect();
    let responses = client.batch(requests.clone()).await?;
    let mut members = HashSet::new();
    for (request, response) in requests.iter().zip(responses) {
        if let Some(error) = response.error(request) {
            return Err(error.into());
        }
        let items = response.body.as_ref().and_then(|b| b["value"].as_array());
        for item in items.into_iter().flatten() {
            if let Some(id) = item["id"].as_str() {
                members.insert(id.to_ascii_lowercase());
            }
        }
    }
    Ok((members, MembershipCheck::PerObject))
}

fn join_lines(lines: &[usize]) -> String {
    lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn group(m365: bool) -> TargetGroup {
        let types = if m365 { json!(["Unified"]) } else { json!([]) };
        TargetGroup::from_json(
            &json!({"id": "g", "displayName": "G", "groupTypes": types, "securityEnabled": true}),
        )
    }

    fn object(kind: &str) -> ResolvedObject {
        ResolvedObject {
            id: "o1".into(),
            object_type: kind.into(),
            display_name: Some("O".into()),
            user_principal_name: None,
            is_m365_group: false,
            user_type: None,
        }
    }

    #[test]
    fn lookups_become_states() {
        let mut row = PlannedRow::new(3, "a@b.com", RowState::WillAdd);
        apply_lookup(
            &mut row,
            Some(&Lookup::Ambiguous(vec![
                ResolvedObject::from_json(
                    &serde_json::json!({"id": "x", "displayName": "Jo"}),
                    "user",
                )
                .unwrap(),
                ResolvedObject::from_json(&serde_json::json!({"id": "y"}), "orgContact").unwrap(),
            ])),
            &group(false),
            MembershipOp::Add,
        );
        assert_eq!(row.state, RowState::Ambiguous);
        assert!(
            row.reason.contains("2 objects") && row.reason.contains("user 'Jo' x, orgContact y")
        );

        let mut row = PlannedRow::new(4, "a@b.com", RowState::WillAdd);
        apply_lookup(
            &mut row,
            Some(&Lookup::NotFound),
            &group(false),
            MembershipOp::Add,
        );
        assert_eq!(row.state, RowState::NotFound);

        let mut row = PlannedRow::new(5, "id", RowState::WillAdd);
        apply_lookup(
            &mut row,
            Some(&Lookup::Found(object("device"))),
            &group(true),
            MembershipOp::Add,
        );
        assert_eq!(row.state, RowState::WrongType);
        assert!(row.reason.contains("device"), "{}", row.reason);

        // Removing a device from a Microsoft 365 group is no type error: it is simply checked.
        let mut row = PlannedRow::new(6, "id", RowState::WillAdd);
        apply_lookup(
            &mut row,
            Some(&Lookup::Found(object("device"))),
            &group(true),
            MembershipOp::Remove,
        );
        assert_eq!(row.state, RowState::WillAdd);
        assert_eq!(row.object.as_ref().map(|o| o.id.as_str()), Some("o1"));
    }

    #[test]
    fn lines_are_joined_for_notices() {
        assert_eq!(join_lines(&[3, 7]), "3, 7");
    }
}
