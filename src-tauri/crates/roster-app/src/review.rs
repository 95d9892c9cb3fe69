//! Review: files opened for exploring (each behind a handle, with its current view), the
//! comparison of two snapshots and the rule lab, for both front ends. Everything here is local:
//! no sign-in, no network. The work is in `roster-review`; this module keeps what a session has
//! open and maps its errors.

use crate::error::{AppError, ErrorCode};
use parking_lot::Mutex;
use roster_core::text::{Text, sentence};
use roster_csv::WriterOptions;
use roster_review::diff::{self, Diff, DiffCounts, GroupChanges};
use roster_review::rule_lab;
use roster_review::stats::{self, Chart, Stats};
use roster_review::view;
use roster_review::{Detected, Index, ReviewError, Table};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use roster_review::diff::Change;
pub use roster_review::rule_lab::{Change as RuleChange, RuleCounts};
pub use roster_review::view::{ColumnFilter, FilterTest, SortKey, ViewQuery};
pub use roster_review::{FileKind, TEXT_CODES as REVIEW_TEXT_CODES};
pub use roster_rules::{TEXT_CODES as RULE_TEXT_CODES, Token, TokenKind};

impl From<ReviewError> for AppError {
    fn from(error: ReviewError) -> Self {
        let code = match &error {
            ReviewError::Open { .. } | ReviewError::Write { .. } | ReviewError::Io(_) => {
                ErrorCode::Io
            }
            _ => ErrorCode::Validation,
        };
        let mut text = error.text();
        text.english = format!("{}.", sentence(&text.english));
        AppError::coded(code, text)
    }
}

/// How many top values the summary lists per column.
pub const TOP_VALUES: usize = 10;

/// A file opened for review.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    /// The handle later calls name it by.
    pub handle: u64,
    /// The file.
    pub path: PathBuf,
    /// Data rows.
    pub rows: u64,
    /// Column headers in file order.
    pub columns: Vec<String>,
    /// Users, groups, members or other.
    pub kind: FileKind,
    /// Encoding, delimiter, preamble.
    pub detected: Detected,
    /// Things to know about the file (short rows...).
    pub notices: Vec<Text>,
}

/// The figures of an open file.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Per column: filled, distinct, top values.
    pub stats: Stats,
    /// The charts for its kind.
    pub charts: Vec<Chart>,
}

/// A page of a view.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewPage {
    /// Rows in the whole view.
    pub total: u64,
    /// Position of the first row of `rows` in the view.
    pub offset: u64,
    /// 1-based row numbers in the file (for "row 1,234").
    pub row_numbers: Vec<u64>,
    /// The cells, one inner list per row, in the requested column order.
    pub rows: Vec<Vec<String>>,
}

struct OpenFile {
    table: Table,
    /// The current query and the rows it selects.
    view: Mutex<(ViewQuery, Arc<Vec<u32>>)>,
}

impl OpenFile {
    fn rows_for(&self, query: &ViewQuery) -> Arc<Vec<u32>> {
        let mut current = self.view.lock();
        if current.0 != *query {
            let rows = Arc::new(view::select(&self.table, query));
            *current = (query.clone(), rows);
        }
        current.1.clone()
    }
}

/// The files a session has open for review.
#[derive(Default)]
pub struct Reviews {
    files: Mutex<HashMap<u64, Arc<OpenFile>>>,
    next: Mutex<u64>,
}

fn no_handle() -> AppError {
    AppError::coded(
        ErrorCode::NotFound,
        Text::new(
            "app.reviewClosed",
            "This file is no longer open. Open it again.",
        ),
    )
}

/// The header and first `rows` rows of `path`, read in milliseconds: what a front end shows
/// while [`Reviews::open`] indexes the whole file.
pub fn peek(path: &Path, rows: usize) -> Result<roster_review::Peek, AppError> {
    Ok(roster_review::peek(path, rows)?)
}

impl Reviews {
    /// Reads and indexes `path` (blocking: call it off the UI thread).
    pub fn open(&self, path: &Path) -> Result<Opened, AppError> {
        let table = Table::open(path)?;
        let all_rows = Arc::new((0..table.rows() as u32).collect());
        let opened = Opened {
            handle: 0,
            path: path.to_owned(),
            rows: table.rows() as u64,
            columns: table.headers(),
            kind: table.kind,
            detected: table.detected.clone(),
            notices: table.notices.clone(),
        };
        let file = Arc::new(OpenFile {
            table,
            view: Mutex::new((ViewQuery::default(), all_rows)),
        });
        let handle = {
            let mut next = self.next.lock();
            *next += 1;
            *next
        };
        self.files.lock().insert(handle, file);
        Ok(Opened { handle, ..opened })
    }

    fn file(&self, handle: u64) -> Result<Arc<OpenFile>, AppError> {
        self.files
            .lock()
            .get(&handle)
            .cloned()
            .ok_or_else(no_handle)
    }

    /// Forgets an open file (its memory is freed when no call still uses it).
    pub fn close(&self, handle: u64) {
        self.files.lock().remove(&handle);
    }

    /// The figures and charts of an open file.
    pub fn summary(&self, handle: u64) -> Result<Summary, AppError> {
        let file = self.file(handle)?;
        Ok(Summary {
            stats: stats::stats(&file.table, TOP_VALUES),
            charts: stats::charts(&file.table, chrono::Utc::now()),
        })
    }

    /// Rows `offset..offset+limit` of the view `query` selects, with `columns` (all when empty).
    pub fn page(
        &self,
        handle: u64,
        query: &ViewQuery,
        offset: u64,
        limit: u64,
        columns: &[usize],
    ) -> Result<ViewPage, AppError> {
        let file = self.file(handle)?;
        let rows = file.rows_for(query);
        let all: Vec<usize>;
        let columns = if columns.is_empty() {
            all = (0..file.table.columns.len()).collect();
            &all
        } else {
            columns
        };
        let start = (offset as usize).min(rows.len());
        let end = start
            .saturating_add(limit.min(1000) as usize)
            .min(rows.len());
        let slice = &rows[start..end];
        Ok(ViewPage {
            total: rows.len() as u64,
            offset: start as u64,
            row_numbers: slice.iter().map(|&r| u64::from(r) + 1).collect(),
            rows: view::cells(&file.table, slice, columns),
        })
    }

    /// The values of `column` within the view `query` selects (its own filter left out, so
    /// the list offers every value the other filters allow), with counts.
    pub fn values(
        &self,
        handle: u64,
        query: &ViewQuery,
        column: usize,
        containing: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, u64)>, AppError> {
        let file = self.file(handle)?;
        let col = file.table.columns.get(column).ok_or_else(|| {
            AppError::from(ReviewError::NoColumn {
                column: column.to_string(),
            })
        })?;
        let mut others = query.clone();
        others.filters.retain(|f| f.column != column);
        others.sort = None;
        let rows = view::select(&file.table, &others);
        Ok(view::value_counts(col, &rows, containing, limit))
    }

    /// Writes the view `query` selects, with `columns`, to `dest`.
    pub fn export(
        &self,
        handle: u64,
        query: &ViewQuery,
        columns: &[usize],
        dest: &Path,
        options: WriterOptions,
    ) -> Result<u64, AppError> {
        let file = self.file(handle)?;
        let rows = file.rows_for(query);
        Ok(roster_review::export::export(
            &file.table,
            &rows,
            columns,
            dest,
            options,
        )?)
    }

    /// The rows at view positions `positions` as tab-separated text with a header, for the
    /// clipboard.
    pub fn copy(
        &self,
        handle: u64,
        query: &ViewQuery,
        positions: &[u64],
        columns: &[usize],
    ) -> Result<String, AppError> {
        let file = self.file(handle)?;
        let rows = file.rows_for(query);
        let picked: Vec<u32> = positions
            .iter()
            .filter_map(|&p| rows.get(p as usize).copied())
            .collect();
        Ok(view::to_tsv(&file.table, &picked, columns))
    }

    /// Compares two open files.
    pub fn compare(
        &self,
        old: u64,
        new: u64,
        key: Option<&[String]>,
    ) -> Result<Comparison, AppError> {
        let (old, new) = (self.file(old)?, self.file(new)?);
        Comparison::of(old.clone(), new.clone(), key)
    }
}

/// A comparison of two open files, kept for paging and export.
pub struct Comparison {
    old: Arc<OpenFile>,
    new: Arc<OpenFile>,
    diff: Diff,
}

/// What a comparison found, for display.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonSummary {
    /// The key columns.
    pub key: Vec<String>,
    /// Counts.
    pub counts: DiffCounts,
    /// The fields compared.
    pub fields: Vec<String>,
    /// How many changed rows each field has, in `fields` order.
    pub field_changes: Vec<u64>,
    /// For members files: joins and leaves per group.
    pub groups: Vec<GroupChanges>,
    /// Columns only one file has, repeated keys.
    pub notices: Vec<Text>,
}

impl Comparison {
    fn of(
        old: Arc<OpenFile>,
        new: Arc<OpenFile>,
        key: Option<&[String]>,
    ) -> Result<Self, AppError> {
        let diff = diff::compare(&old.table, &new.table, key)?;
        Ok(Self { old, new, diff })
    }

    /// The counts and per-field figures.
    pub fn summary(&self) -> ComparisonSummary {
        let mut field_changes = vec![0u64; self.diff.fields.len()];
        for d in &self.diff.differences {
            for &f in &d.fields {
                field_changes[f as usize] += 1;
            }
        }
        let groups = if self.new.table.kind == FileKind::Members {
            diff::group_changes(&self.diff, &self.old.table, &self.new.table)
        } else {
            Vec::new()
        };
        ComparisonSummary {
            key: self.diff.key.clone(),
            counts: self.diff.counts(),
            fields: self.diff.fields.iter().map(|f| f.name.clone()).collect(),
            field_changes,
            groups,
            notices: self.diff.notices.clone(),
        }
    }

    /// The comparison's lines (as the CSV has them) whose change is in `changes` (all when
    /// empty) and that touch `field` (any when None): `offset..offset+limit` of them, and how
    /// many there are.
    pub fn lines(
        &self,
        changes: &[diff::Change],
        field: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> (u64, Vec<DiffLine>) {
        let field_index = field.and_then(|name| {
            self.diff
                .fields
                .iter()
                .position(|f| f.name == name)
                .map(|i| i as u32)
        });
        let mut total = 0u64;
        let mut out = Vec::new();
        let limit = limit.min(1000);
        for d in &self.diff.differences {
            if !changes.is_empty() && !changes.contains(&d.change) {
                continue;
            }
            let fields: Vec<Option<u32>> = match (d.change, field_index, field) {
                (diff::Change::Changed, Some(f), _) => d
                    .fields
                    .iter()
                    .copied()
                    .filter(|&x| x == f)
                    .map(Some)
                    .collect(),
                (diff::Change::Changed, None, None) => d.fields.iter().copied().map(Some).collect(),
                (_, _, Some(_)) => Vec::new(),
                _ => vec![None],
            };
            for f in fields {
                if total >= offset && (out.len() as u64) < limit {
                    out.push(self.line(d, f));
                }
                total += 1;
            }
        }
        (total, out)
    }

    fn line(&self, d: &diff::Difference, field: Option<u32>) -> DiffLine {
        let (old, new) = (&self.old.table, &self.new.table);
        let key = match (d.new_row, d.old_row) {
            (Some(r), _) => self
                .diff
                .new_key
                .iter()
                .map(|&c| new.cell(r, c).to_owned())
                .collect(),
            (None, Some(r)) => self
                .diff
                .old_key
                .iter()
                .map(|&c| old.cell(r, c).to_owned())
                .collect(),
            (None, None) => Vec::new(),
        };
        let label = d
            .new_row
            .map(|r| describe(new, r))
            .or_else(|| d.old_row.map(|r| describe(old, r)))
            .unwrap_or_default();
        let (field_name, old_value, new_value) = match field {
            Some(f) => {
                let f = &self.diff.fields[f as usize];
                (
                    f.name.clone(),
                    old.cell(d.old_row.unwrap_or(0), f.old).to_owned(),
                    new.cell(d.new_row.unwrap_or(0), f.new).to_owned(),
                )
            }
            None => Default::default(),
        };
        DiffLine {
            change: d.change,
            key,
            label,
            field: field_name,
            old: old_value,
            new: new_value,
        }
    }

    /// Writes the comparison CSV to `dest`; returns its lines.
    pub fn write_csv(&self, dest: &Path, options: WriterOptions) -> Result<u64, AppError> {
        Ok(diff::write_csv(
            &self.diff,
            &self.old.table,
            &self.new.table,
            dest,
            options,
        )?)
    }
}

/// One line of a comparison.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffLine {
    /// Added, removed or changed.
    pub change: diff::Change,
    /// The key values.
    pub key: Vec<String>,
    /// Who or what it is, for people (display name and UPN when the file has them).
    pub label: String,
    /// The field (changed lines).
    pub field: String,
    /// Its old value.
    pub old: String,
    /// Its new value.
    pub new: String,
}

/// "Display name (upn)" of a row, from the columns the file has.
fn describe(table: &Table, row: u32) -> String {
    let headers = table.headers();
    let name = roster_review::kind::find(&headers, &["displayname"]).map(|c| table.cell(row, c));
    let upn = roster_review::kind::find(&headers, &["userprincipalname", "upn"])
        .map(|c| table.cell(row, c));
    match (
        name.filter(|s| !s.is_empty()),
        upn.filter(|s| !s.is_empty()),
    ) {
        (Some(n), Some(u)) => format!("{n} ({u})"),
        (Some(n), None) => n.to_owned(),
        (None, Some(u)) => u.to_owned(),
        (None, None) => String::new(),
    }
}

/// `roster review stats`: the figures of one file, read once.
pub fn file_stats(path: &Path, top: usize) -> Result<Stats, AppError> {
    Ok(stats::file_stats(path, top)?)
}

/// What `roster diff` reports.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileComparison {
    /// The key columns.
    pub key: Vec<String>,
    /// The counts.
    pub counts: DiffCounts,
    /// Lines written to the output file, when one was asked for.
    pub lines_written: Option<u64>,
    /// Notices.
    pub notices: Vec<Text>,
}

/// `roster diff`: compares two files (read side by side) and writes the CSV when `out` is given.
pub fn compare_files(
    old: &Path,
    new: &Path,
    key: Option<&[String]>,
    out: Option<(&Path, WriterOptions)>,
) -> Result<FileComparison, AppError> {
    let raw = |path| Table::open_with(path, &roster_review::Columns::All, Index::Raw);
    let (old_table, new_table) = std::thread::scope(|scope| {
        let other = scope.spawn(|| raw(new));
        let mine = raw(old);
        (
            mine,
            other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    });
    let (old_table, new_table) = (old_table?, new_table?);
    let diff = diff::compare(&old_table, &new_table, key)?;
    let lines_written = match out {
        Some((dest, options)) => Some(diff::write_csv(
            &diff, &old_table, &new_table, dest, options,
        )?),
        None => None,
    };
    Ok(FileComparison {
        key: diff.key.clone(),
        counts: diff.counts(),
        lines_written,
        notices: diff.notices.clone(),
    })
}

/// A rule checked for the editor: valid or the first problem, and the tokens to colour.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCheck {
    /// True when the rule parses.
    pub valid: bool,
    /// The problem, when it does not.
    pub error: Option<RuleProblem>,
    /// The source split for syntax highlighting.
    pub tokens: Vec<roster_rules::Token>,
    /// The user properties it reads (valid rules only).
    pub properties: Vec<String>,
}

/// Where a rule is wrong and what was expected there.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleProblem {
    /// 1-based character position.
    pub position: usize,
    /// The message.
    pub text: Text,
}

/// Checks a rule (no file needed).
pub fn check_rule(rule: &str) -> RuleCheck {
    let tokens = roster_rules::tokens(rule);
    match roster_rules::parse(rule) {
        Ok(parsed) => RuleCheck {
            valid: true,
            error: None,
            tokens,
            properties: parsed.properties().iter().map(|p| p.name.clone()).collect(),
        },
        Err(e) => RuleCheck {
            valid: false,
            error: Some(RuleProblem {
                position: e.position,
                text: e.text.clone().with("position", e.position),
            }),
            tokens,
            properties: Vec::new(),
        },
    }
}

/// Parses a rule, or the error a front end shows (position and what was expected).
pub fn parse_rule(rule: &str) -> Result<roster_rules::Rule, AppError> {
    roster_rules::parse(rule).map_err(|e| {
        let mut text = e.text.clone().with("position", e.position);
        text.english = format!(
            "At position {}: {}.",
            e.position,
            e.text.english.trim_end_matches('.')
        );
        AppError::coded(ErrorCode::Validation, text)
    })
}

/// What `roster rule eval` reports.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleRun {
    /// Evaluated, matched, and join/leave/stay with members.
    pub counts: rule_lab::RuleCounts,
    /// Rows written to the output file.
    pub written: Option<u64>,
    /// Notices.
    pub notices: Vec<Text>,
}

/// `roster rule eval`: evaluates `rule` on a users file, with the group's members (`members`,
/// one group of it named by `group` when it lists several) for join/leave/stay; writes the
/// result when `out` is given.
pub fn evaluate_rule_files(
    rule: &str,
    users: &Path,
    members: Option<&Path>,
    group: Option<&str>,
    out: Option<(&Path, WriterOptions)>,
) -> Result<RuleRun, AppError> {
    let parsed = parse_rule(rule)?;
    let wanted = rule_lab::needed_columns(&parsed);
    let (users, members) = std::thread::scope(|scope| {
        let other = members.map(|m| {
            scope.spawn(move || Table::open_with(m, &roster_review::Columns::All, Index::Raw))
        });
        let mine = Table::open_with(users, &roster_review::Columns::Only(&wanted), Index::Raw);
        let theirs = other.map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (mine, theirs)
    });
    let users = users?;
    let members = members.transpose()?;
    let binding = rule_lab::Binding::new(&parsed, &users, members.as_ref())?;
    let current = members
        .as_ref()
        .map(|m| rule_lab::CurrentMembers::new(m, group))
        .transpose()?;
    let outcome = rule_lab::evaluate(&binding, current.as_ref(), chrono::Utc::now());
    let written = match out {
        Some((dest, options)) => Some(rule_lab::write_csv(
            &binding,
            current.as_ref(),
            &outcome,
            dest,
            options,
        )?),
        None => None,
    };
    Ok(RuleRun {
        counts: outcome.counts.clone(),
        written,
        notices: outcome.notices.clone(),
    })
}

/// A rule evaluated on open files, kept for paging and export.
pub struct RuleResult {
    users: Arc<OpenFile>,
    members: Option<Arc<OpenFile>>,
    group: Option<String>,
    rule: roster_rules::Rule,
    outcome: rule_lab::Outcome,
}

/// One person in a rule result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleLine {
    /// Join, leave or stay (with current members).
    pub change: Option<rule_lab::Change>,
    /// Id, userPrincipalName, displayName.
    pub cells: [String; 3],
}

impl Reviews {
    /// Evaluates `rule` on the open users file `users`, with the open members file `members`
    /// (its group `group` when it lists several) for join/leave/stay and `user.memberOf`.
    pub fn evaluate_rule(
        &self,
        users: u64,
        members: Option<u64>,
        group: Option<&str>,
        rule: &str,
    ) -> Result<RuleResult, AppError> {
        let parsed = parse_rule(rule)?;
        let users = self.file(users)?;
        let members = members.map(|m| self.file(m)).transpose()?;
        let outcome = {
            let binding =
                rule_lab::Binding::new(&parsed, &users.table, members.as_ref().map(|m| &m.table))?;
            let current = members
                .as_ref()
                .map(|m| rule_lab::CurrentMembers::new(&m.table, group))
                .transpose()?;
            rule_lab::evaluate(&binding, current.as_ref(), chrono::Utc::now())
        };
        Ok(RuleResult {
            users,
            members,
            group: group.map(str::to_owned),
            rule: parsed,
            outcome,
        })
    }
}

impl Reviews {
    /// The object ids (lower case) of the users of open file `users` that `rule` matches.
    pub fn matching_ids(
        &self,
        users: u64,
        rule: &roster_rules::Rule,
    ) -> Result<std::collections::HashSet<String>, AppError> {
        let file = self.file(users)?;
        let binding = rule_lab::Binding::new(rule, &file.table, None)?;
        let id = id_column(&file.table)?;
        Ok(binding
            .matching_rows(chrono::Utc::now())
            .into_iter()
            .map(|r| file.table.cell(r, id).to_ascii_lowercase())
            .collect())
    }

    /// Every object id (lower case) of open file `users`.
    pub fn all_ids(&self, users: u64) -> Result<std::collections::HashSet<String>, AppError> {
        let file = self.file(users)?;
        let id = id_column(&file.table)?;
        Ok((0..file.table.rows() as u32)
            .map(|r| file.table.cell(r, id).to_ascii_lowercase())
            .collect())
    }
}

fn id_column(table: &Table) -> Result<usize, AppError> {
    roster_review::kind::find(&table.headers(), &["objectid", "id"]).ok_or_else(|| {
        AppError::from(ReviewError::MissingProperties {
            missing: "objectId".to_owned(),
        })
    })
}

impl RuleResult {
    /// Evaluated, matched, join/leave/stay.
    pub fn counts(&self) -> &rule_lab::RuleCounts {
        &self.outcome.counts
    }

    /// Things to know (members missing from the users file).
    pub fn notices(&self) -> &[Text] {
        &self.outcome.notices
    }

    fn with_binding<T>(
        &self,
        f: impl FnOnce(&rule_lab::Binding<'_>, Option<&rule_lab::CurrentMembers<'_>>) -> T,
    ) -> Result<T, AppError> {
        let members = self.members.as_ref().map(|m| &m.table);
        let binding = rule_lab::Binding::new(&self.rule, &self.users.table, members)?;
        let current = members
            .map(|m| rule_lab::CurrentMembers::new(m, self.group.as_deref()))
            .transpose()?;
        Ok(f(&binding, current.as_ref()))
    }

    /// The result's column names: id, userPrincipalName, displayName as the users file names them.
    pub fn header(&self) -> Result<[String; 3], AppError> {
        self.with_binding(|b, _| rule_lab::result_header(b))
    }

    /// People `offset..offset+limit` of the list `change` (all when None), and the list's size.
    pub fn page(
        &self,
        change: Option<rule_lab::Change>,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<RuleLine>), AppError> {
        self.with_binding(|binding, current| {
            let people: Vec<&(Option<rule_lab::Change>, rule_lab::Person)> = self
                .outcome
                .people
                .iter()
                .filter(|(c, _)| change.is_none() || *c == change)
                .collect();
            let lines = people
                .iter()
                .skip(offset as usize)
                .take(limit.min(1000) as usize)
                .map(|(c, p)| RuleLine {
                    change: *c,
                    cells: rule_lab::person_cells(binding, current, *p),
                })
                .collect();
            (people.len() as u64, lines)
        })
    }

    /// Writes the result to `dest`.
    pub fn write_csv(&self, dest: &Path, options: WriterOptions) -> Result<u64, AppError> {
        self.with_binding(|binding, current| {
            rule_lab::write_csv(binding, current, &self.outcome, dest, options)
        })?
        .map_err(AppError::from)
    }
}
