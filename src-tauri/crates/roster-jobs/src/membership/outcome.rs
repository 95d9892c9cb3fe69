//! Per-row outcomes of a membership job: what the preview plans and what the apply step records,
//! with the words shown to people and the mapping onto the store's succeeded/skipped/failed.

use roster_core::text::Text;
use roster_store::RowStatus;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Add members to the group or remove them from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipOp {
    /// Add every row's object to the group.
    Add,
    /// Remove every row's object from the group.
    Remove,
}

impl MembershipOp {
    /// The opposite operation (what undoes this one).
    pub fn inverse(self) -> Self {
        match self {
            Self::Add => Self::Remove,
            Self::Remove => Self::Add,
        }
    }

    /// "add" or "remove".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Remove => "remove",
        }
    }
}

/// The status of one input row, as written to the results file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowState {
    /// Preview: the object will be added.
    WillAdd,
    /// Preview: the object will be removed.
    WillRemove,
    /// The object was added.
    Added,
    /// The object was removed.
    Removed,
    /// Nothing to do: the object already is a member (an add counts this as success).
    AlreadyMember,
    /// Nothing to do: the object is not a member (a remove counts this as success).
    NotAMember,
    /// No object has this id, UPN or mail address.
    NotFound,
    /// The mail address belongs to more than one object.
    Ambiguous,
    /// The group cannot hold this kind of object (e.g. a device in a Microsoft 365 group).
    WrongType,
    /// The same value appears on an earlier line; that line is processed.
    Duplicate,
    /// Not an object id, UPN or mail address.
    Invalid,
    /// Graph refused the change; the reason says why.
    Failed,
}

impl RowState {
    /// Every state, for counts in a fixed order.
    pub const ALL: [RowState; 12] = [
        Self::WillAdd,
        Self::WillRemove,
        Self::Added,
        Self::Removed,
        Self::AlreadyMember,
        Self::NotAMember,
        Self::NotFound,
        Self::Ambiguous,
        Self::WrongType,
        Self::Duplicate,
        Self::Invalid,
        Self::Failed,
    ];

    /// The stable name used in results files (`added`, `already-member`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WillAdd => "will-add",
            Self::WillRemove => "will-remove",
            Self::Added => "added",
            Self::Removed => "removed",
            Self::AlreadyMember => "already-member",
            Self::NotAMember => "not-a-member",
            Self::NotFound => "not-found",
            Self::Ambiguous => "ambiguous",
            Self::WrongType => "wrong-type",
            Self::Duplicate => "duplicate",
            Self::Invalid => "invalid",
            Self::Failed => "failed",
        }
    }

    /// Whether the row still needs a Graph write.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::WillAdd | Self::WillRemove)
    }

    /// Whether the row counts as an error (the job ends "Completed with errors").
    pub fn is_error(self) -> bool {
        matches!(
            self,
            Self::NotFound | Self::Ambiguous | Self::WrongType | Self::Invalid | Self::Failed
        )
    }

    /// The store's coarse status; `None` for a row still pending.
    pub fn row_status(self) -> Option<RowStatus> {
        match self {
            Self::WillAdd | Self::WillRemove => None,
            Self::Added | Self::Removed => Some(RowStatus::Succeeded),
            Self::AlreadyMember | Self::NotAMember | Self::Duplicate => Some(RowStatus::Skipped),
            Self::NotFound | Self::Ambiguous | Self::WrongType | Self::Invalid | Self::Failed => {
                Some(RowStatus::Failed)
            }
        }
    }

    /// The state after the planned change was made.
    pub fn done(op: MembershipOp) -> Self {
        match op {
            MembershipOp::Add => Self::Added,
            MembershipOp::Remove => Self::Removed,
        }
    }

    /// The planned change.
    pub fn planned(op: MembershipOp) -> Self {
        match op {
            MembershipOp::Add => Self::WillAdd,
            MembershipOp::Remove => Self::WillRemove,
        }
    }

    /// The "nothing to do" state for `op`.
    pub fn nothing_to_do(op: MembershipOp) -> Self {
        match op {
            MembershipOp::Add => Self::AlreadyMember,
            MembershipOp::Remove => Self::NotAMember,
        }
    }

    /// The default reason in plain words.
    pub fn default_reason(self) -> &'static str {
        match self {
            Self::WillAdd => "Will be added to the group",
            Self::WillRemove => "Will be removed from the group",
            Self::Added => "Added to the group",
            Self::Removed => "Removed from the group",
            Self::AlreadyMember => "Already a member of the group; nothing to do",
            Self::NotAMember => "Not a member of the group; nothing to do",
            Self::NotFound => {
                "No user or object with this object ID, user principal name or mail address"
            }
            Self::Ambiguous => {
                "More than one object has this mail address; use the object ID or user principal name instead"
            }
            Self::WrongType => "This kind of object cannot be a member of this group",
            Self::Duplicate => "Same value as an earlier line; that line is processed",
            Self::Invalid => "Not an object ID, user principal name or mail address",
            Self::Failed => "Graph refused the change",
        }
    }
}

impl RowState {
    /// The default reason as a message (code `membership.reason.STATE`).
    pub fn reason(self) -> Text {
        Text::new(
            &format!("membership.reason.{}", self.as_str()),
            self.default_reason(),
        )
    }
}

impl fmt::Display for RowState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Row tallies by state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateCounts {
    /// Rows planned to be added (preview).
    pub will_add: u64,
    /// Rows planned to be removed (preview).
    pub will_remove: u64,
    /// Rows added.
    pub added: u64,
    /// Rows removed.
    pub removed: u64,
    /// Already members.
    pub already_member: u64,
    /// Not members.
    pub not_a_member: u64,
    /// Not found.
    pub not_found: u64,
    /// Ambiguous mail addresses.
    pub ambiguous: u64,
    /// Wrong object type for the group.
    pub wrong_type: u64,
    /// Repeated values.
    pub duplicate: u64,
    /// Invalid values.
    pub invalid: u64,
    /// Changes Graph refused.
    pub failed: u64,
    /// Blank lines (not rows; counted so nothing disappears silently).
    pub blank: u64,
}

impl StateCounts {
    /// Counts one row.
    pub fn add(&mut self, state: RowState) {
        *self.slot(state) += 1;
    }

    /// The count for `state`.
    pub fn get(&self, state: RowState) -> u64 {
        let mut copy = *self;
        *copy.slot(state)
    }

    fn slot(&mut self, state: RowState) -> &mut u64 {
        match state {
            RowState::WillAdd => &mut self.will_add,
            RowState::WillRemove => &mut self.will_remove,
            RowState::Added => &mut self.added,
            RowState::Removed => &mut self.removed,
            RowState::AlreadyMember => &mut self.already_member,
            RowState::NotAMember => &mut self.not_a_member,
            RowState::NotFound => &mut self.not_found,
            RowState::Ambiguous => &mut self.ambiguous,
            RowState::WrongType => &mut self.wrong_type,
            RowState::Duplicate => &mut self.duplicate,
            RowState::Invalid => &mut self.invalid,
            RowState::Failed => &mut self.failed,
        }
    }

    /// Rows that count as errors.
    pub fn errors(&self) -> u64 {
        self.not_found + self.ambiguous + self.wrong_type + self.invalid + self.failed
    }

    /// Rows (blank lines excluded).
    pub fn rows(&self) -> u64 {
        RowState::ALL.iter().map(|s| self.get(*s)).sum()
    }

    /// One line for people, e.g. `400 will be added, 3 already members, 1 not found`.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = RowState::ALL
            .iter()
            .filter(|s| self.get(**s) > 0)
            .map(|s| format!("{} {}", self.get(*s), label(*s, self.get(*s))))
            .chain((self.blank > 0).then(|| format!("{} blank lines skipped", self.blank)))
            .collect();
        if parts.is_empty() {
            "no rows".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

fn label(state: RowState, n: u64) -> &'static str {
    let one = n == 1;
    match state {
        RowState::WillAdd => "will be added",
        RowState::WillRemove => "will be removed",
        RowState::Added => "added",
        RowState::Removed => "removed",
        RowState::AlreadyMember if one => "already a member",
        RowState::AlreadyMember => "already members",
        RowState::NotAMember if one => "not a member",
        RowState::NotAMember => "not members",
        RowState::NotFound => "not found",
        RowState::Ambiguous => "ambiguous",
        RowState::WrongType => "of the wrong type for this group",
        RowState::Duplicate if one => "duplicate",
        RowState::Duplicate => "duplicates",
        RowState::Invalid => "invalid",
        RowState::Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_map_to_store_statuses_and_errors() {
        assert_eq!(RowState::Added.row_status(), Some(RowStatus::Succeeded));
        assert_eq!(
            RowState::AlreadyMember.row_status(),
            Some(RowStatus::Skipped)
        );
        assert_eq!(RowState::NotAMember.row_status(), Some(RowStatus::Skipped));
        assert_eq!(RowState::WrongType.row_status(), Some(RowStatus::Failed));
        assert_eq!(RowState::WillAdd.row_status(), None);
        assert!(RowState::Ambiguous.is_error() && !RowState::Duplicate.is_error());
        assert_eq!(RowState::done(MembershipOp::Remove), RowState::Removed);
        assert_eq!(MembershipOp::Add.inverse(), MembershipOp::Remove);
    }

    #[test]
    fn counts_and_summary() {
        let mut c = StateCounts::default();
        for s in [
            RowState::WillAdd,
            RowState::WillAdd,
            RowState::AlreadyMember,
            RowState::NotFound,
        ] {
            c.add(s);
        }
        c.blank = 1;
        assert_eq!(c.rows(), 4);
        assert_eq!(c.errors(), 1);
        assert_eq!(
            c.summary(),
            "2 will be added, 1 already a member, 1 not found, 1 blank lines skipped"
        );
        assert_eq!(
            serde_json::to_value(RowState::AlreadyMember).unwrap(),
            "already-member"
        );
    }
}
