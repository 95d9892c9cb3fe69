//! DTOs of the `rule_*` commands: the rule lab. A dynamic membership rule checked as it is typed
//! (valid, or where it is wrong and why, with its tokens for colouring), evaluated on an open
//! users file (and a group's members file for who would join, leave or stay), and the people a
//! page at a time.

use roster_app::dynamic_rule::RuleProposal;
use roster_app::review::{RuleChange, RuleCheck, RuleCounts, RuleLine, Token, TokenKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TextDto;

/// Request of `rule_check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleCheckRequest {
    /// The rule as typed.
    pub rule: String,
}

/// What a token of a rule is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RuleTokenKindDto {
    /// `user.department`.
    Property,
    /// `-eq`, `-in`.
    Operator,
    /// `-and`, `-or`, `-not`, `-any`, `-all`.
    Logical,
    /// A quoted string.
    String,
    /// `null`, `true`, numbers, dates, `system.now`.
    Literal,
    /// Parentheses, brackets, commas.
    Punctuation,
    /// Anything else.
    Unknown,
}

impl From<TokenKind> for RuleTokenKindDto {
    fn from(kind: TokenKind) -> Self {
        match kind {
            TokenKind::Property => Self::Property,
            TokenKind::Operator => Self::Operator,
            TokenKind::Logical => Self::Logical,
            TokenKind::String => Self::String,
            TokenKind::Literal => Self::Literal,
            TokenKind::Punctuation => Self::Punctuation,
            TokenKind::Unknown => Self::Unknown,
        }
    }
}

/// A token: characters `start..end` (0-based, in characters, not bytes) and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleTokenDto {
    /// First character.
    pub start: u32,
    /// Just after the last character.
    pub end: u32,
    /// What it is.
    pub kind: RuleTokenKindDto,
}

impl From<&Token> for RuleTokenDto {
    fn from(token: &Token) -> Self {
        Self {
            start: u32::try_from(token.start).unwrap_or(u32::MAX),
            end: u32::try_from(token.end).unwrap_or(u32::MAX),
            kind: token.kind.into(),
        }
    }
}

/// Where a rule is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleProblemDto {
    /// 1-based character position.
    pub position: u32,
    /// What is wrong there and what was expected.
    pub text: TextDto,
}

/// Response of `rule_check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleCheckDto {
    /// The rule parses.
    pub valid: bool,
    /// The first problem, when it does not.
    pub error: Option<RuleProblemDto>,
    /// The rule split for colouring.
    pub tokens: Vec<RuleTokenDto>,
    /// The user properties it reads (valid rules only).
    pub properties: Vec<String>,
}

impl From<RuleCheck> for RuleCheckDto {
    fn from(check: RuleCheck) -> Self {
        Self {
            valid: check.valid,
            error: check.error.map(|e| RuleProblemDto {
                position: u32::try_from(e.position).unwrap_or(u32::MAX),
                text: TextDto::from(&e.text),
            }),
            tokens: check.tokens.iter().map(RuleTokenDto::from).collect(),
            properties: check.properties,
        }
    }
}

/// Request of `rule_evaluate`: try a rule on an open users file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleEvaluateRequest {
    /// The open users file's handle.
    pub users: u64,
    /// The open members file of the group (for join, leave and stay, and `user.memberOf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub members: Option<u64>,
    /// The group of the members file, when it lists several (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub group: Option<String>,
    /// The rule.
    pub rule: String,
}

/// Who would join, leave or stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RuleChangeDto {
    /// Matched, not a member yet.
    Join,
    /// A member now, not matched.
    Leave,
    /// A member now and matched.
    Stay,
}

impl From<RuleChangeDto> for RuleChange {
    fn from(change: RuleChangeDto) -> Self {
        match change {
            RuleChangeDto::Join => Self::Join,
            RuleChangeDto::Leave => Self::Leave,
            RuleChangeDto::Stay => Self::Stay,
        }
    }
}

impl From<RuleChange> for RuleChangeDto {
    fn from(change: RuleChange) -> Self {
        match change {
            RuleChange::Join => Self::Join,
            RuleChange::Leave => Self::Leave,
            RuleChange::Stay => Self::Stay,
        }
    }
}

/// How many users a rule matches, and with members, who would join, leave or stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleCountsDto {
    /// Users evaluated.
    pub evaluated: u64,
    /// Users matched.
    pub matched: u64,
    /// Matched and not a member yet (with members).
    pub join: Option<u64>,
    /// A member now and not matched (with members).
    pub leave: Option<u64>,
    /// A member now and matched (with members).
    pub stay: Option<u64>,
}

impl From<&RuleCounts> for RuleCountsDto {
    fn from(counts: &RuleCounts) -> Self {
        Self {
            evaluated: counts.evaluated,
            matched: counts.matched,
            join: counts.join,
            leave: counts.leave,
            stay: counts.stay,
        }
    }
}

/// Response of `rule_evaluate`: the result, kept for paging and export under `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleOutcomeDto {
    /// Names the result in later calls.
    pub id: u64,
    /// The counts.
    pub counts: RuleCountsDto,
    /// Things to know (members not in the users file).
    pub notices: Vec<TextDto>,
    /// The list's columns: the users file's id, user principal name and display name headers.
    pub header: Vec<String>,
}

/// Request of `rule_lines`: a page of the people of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleLinesRequest {
    /// The result.
    pub id: u64,
    /// Only this list (join, leave, stay); every person listed when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub change: Option<RuleChangeDto>,
    /// The first wanted.
    pub offset: u64,
    /// How many (at most 1,000).
    pub limit: u64,
}

/// One person of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleLineDto {
    /// Join, leave or stay (with members).
    pub change: Option<RuleChangeDto>,
    /// Id, user principal name, display name.
    pub cells: Vec<String>,
}

impl From<RuleLine> for RuleLineDto {
    fn from(line: RuleLine) -> Self {
        Self {
            change: line.change.map(Into::into),
            cells: line.cells.into(),
        }
    }
}

/// Response of `rule_lines`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleLinesDto {
    /// People in the list.
    pub total: u64,
    /// The position of the first sent.
    pub offset: u64,
    /// The people.
    pub lines: Vec<RuleLineDto>,
}

/// A request naming a rule result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleResultRequest {
    /// The id `rule_evaluate` answered.
    pub id: u64,
}

/// Request of `rule_export`: write a result as CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleExportRequest {
    /// The result.
    pub id: u64,
    /// The file to write: the handle the save dialog answered.
    pub file: String,
}

/// Request of `rules_propose_group`: what saving a rule to a dynamic group would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleGroupProposeRequest {
    /// The open users file's handle.
    pub users: u64,
    /// The group's display name or object id.
    pub group: String,
    /// The rule.
    pub rule: String,
}

/// Response of `rules_propose_group`: the group and who would join, leave or stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleProposalDto {
    /// The group's object id (for `rules_apply_group`).
    pub group_id: String,
    /// Its display name.
    pub group_name: String,
    /// The rule it has now.
    pub current_rule: Option<String>,
    /// Users of the file the new rule matches.
    pub matched: u64,
    /// Would join.
    pub join: u64,
    /// Would leave (members missing from the users file included).
    pub leave: u64,
    /// Members now who stay.
    pub stay: u64,
    /// Members now that the users file does not list.
    pub members_not_in_file: u64,
}

impl From<RuleProposal> for RuleProposalDto {
    fn from(p: RuleProposal) -> Self {
        Self {
            group_id: p.group_id,
            group_name: p.group_name,
            current_rule: p.current_rule,
            matched: p.matched,
            join: p.join,
            leave: p.leave,
            stay: p.stay,
            members_not_in_file: p.members_not_in_file,
        }
    }
}

/// Request of `rules_apply_group`: save a rule as a dynamic group's membership rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleGroupApplyRequest {
    /// The group's object id, as `rules_propose_group` answered.
    pub group_id: String,
    /// The rule.
    pub rule: String,
}
