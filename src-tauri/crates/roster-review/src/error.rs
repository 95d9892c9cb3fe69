//! Why a file could not be reviewed, in words that say what is wrong and what to do.

use roster_core::text::Text;
use std::path::Path;

/// A review failure. [`ReviewError::text`] gives it as a code with parameters for the UI.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {reason}")]
    Open {
        /// The file.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// A folder, FIFO or device was given.
    #[error("{path} is not a file: choose a CSV file")]
    NotAFile {
        /// The path.
        path: String,
    },
    /// An Excel workbook was given.
    #[error(
        "this is an Excel workbook, not a CSV file: open it in Excel and save it as CSV (CSV UTF-8), then open that"
    )]
    Workbook,
    /// Not text: NUL bytes without a byte-order mark, or control characters.
    #[error(
        "this is not a text (CSV) file; if it is UTF-16 text, save it again with a byte-order mark (Excel: \"Unicode text\" or \"CSV UTF-8\")"
    )]
    Binary,
    /// The file has no header line.
    #[error("the file is empty: a CSV needs a header line")]
    Empty,
    /// A line the CSV reader cannot read.
    #[error("line {line}: {reason}")]
    Malformed {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A header names the same column twice.
    #[error(
        "the header names column {column} twice (columns {first} and {second}): rename one and try again"
    )]
    DuplicateHeader {
        /// The name.
        column: String,
        /// 1-based position of the first.
        first: usize,
        /// 1-based position of the second.
        second: usize,
    },
    /// More rows or cells than the index holds.
    #[error("the file is too large to review ({reason}): split it, or review the columns you need")]
    TooLarge {
        /// Which limit it passed.
        reason: String,
    },
    /// A key column is missing from a file.
    #[error(
        "{file} has no column {column}: choose the key with --key (its columns are: {available})"
    )]
    MissingKey {
        /// Which file ("the old file", "the new file").
        file: String,
        /// The missing column.
        column: String,
        /// The file's columns.
        available: String,
    },
    /// More key columns than a comparison takes.
    #[error("a key is one or two columns (for example id, or groupId,id); {given} were given")]
    KeyTooLong {
        /// How many were given.
        given: usize,
    },
    /// The two files of a comparison hold different kinds of objects.
    #[error(
        "the files hold different things ({old} and {new}): compare users with users, groups with groups, members with members"
    )]
    KindMismatch {
        /// The old file's kind.
        old: String,
        /// The new file's kind.
        new: String,
    },
    /// No key could be chosen for a file of this kind.
    #[error("cannot tell which column identifies a row in {file}: name it with --key COLUMN")]
    NoKey {
        /// Which file.
        file: String,
    },
    /// A rule reads properties the users file does not have.
    #[error(
        "the users file has no column for {missing}: download users again with these columns, or change the rule"
    )]
    MissingProperties {
        /// The missing rule properties, comma-separated.
        missing: String,
    },
    /// A `user.memberOf` rule without a members file.
    #[error(
        "the rule reads user.memberOf: give a members file (a members download of the groups it names)"
    )]
    NeedsMembers,
    /// A members file of several groups where one group's members are needed.
    #[error(
        "the members file lists {count} groups: name the group whose members to compare with (--group ID), or give one group's members"
    )]
    SeveralGroups {
        /// How many groups.
        count: u64,
    },
    /// The rule lab needs a users file.
    #[error("this is a {kind} file, not a users file: a rule is evaluated on a users file")]
    NotUsers {
        /// The file's kind.
        kind: String,
    },
    /// A members file was expected.
    #[error("this is a {kind} file, not a members file: give the group's members download")]
    NotMembers {
        /// The file's kind.
        kind: String,
    },
    /// A column named in a request does not exist.
    #[error("there is no column {column}")]
    NoColumn {
        /// The name.
        column: String,
    },
    /// Writing an export failed.
    #[error("cannot write {path}: {reason}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A read failed midway.
    #[error("reading failed: {0}")]
    Io(#[from] std::io::Error),
}

impl ReviewError {
    pub(crate) fn open(path: &Path, error: &std::io::Error) -> Self {
        Self::Open {
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    }

    /// The error as a code with parameters (`review.error.<kind>`), English included.
    pub fn text(&self) -> Text {
        let english = self.to_string();
        let code = match self {
            Self::Open { .. } => "review.error.open",
            Self::NotAFile { .. } => "review.error.notAFile",
            Self::Workbook => "review.error.workbook",
            Self::Binary => "review.error.binary",
            Self::Empty => "review.error.empty",
            Self::Malformed { .. } => "review.error.malformed",
            Self::DuplicateHeader { .. } => "review.error.duplicateHeader",
            Self::TooLarge { .. } => "review.error.tooLarge",
            Self::MissingKey { .. } => "review.error.missingKey",
            Self::KindMismatch { .. } => "review.error.kindMismatch",
            Self::KeyTooLong { .. } => "review.error.keyTooLong",
            Self::NoKey { .. } => "review.error.noKey",
            Self::MissingProperties { .. } => "review.error.missingProperties",
            Self::NotUsers { .. } => "review.error.notUsers",
            Self::NeedsMembers => "review.error.needsMembers",
            Self::SeveralGroups { .. } => "review.error.severalGroups",
            Self::NotMembers { .. } => "review.error.notMembers",
            Self::NoColumn { .. } => "review.error.noColumn",
            Self::Write { .. } => "review.error.write",
            Self::Io(_) => "review.error.io",
        };
        let text = Text::new(code, english);
        match self {
            Self::Open { path, reason } | Self::Write { path, reason } => {
                text.with("path", path).with("reason", reason)
            }
            Self::NotAFile { path } => text.with("path", path),
            Self::Malformed { line, reason } => text.with("line", line).with("reason", reason),
            Self::DuplicateHeader {
                column,
                first,
                second,
            } => text
                .with("column", column)
                .with("first", first)
                .with("second", second),
            Self::TooLarge { reason } => text.with("reason", reason),
            Self::KeyTooLong { given } => text.with("given", given),
            Self::MissingKey {
                file,
                column,
                available,
            } => text
                .with("file", file)
                .with("column", column)
                .with("available", available),
            Self::KindMismatch { old, new } => text.with("old", old).with("new", new),
            Self::NoKey { file } => text.with("file", file),
            Self::MissingProperties { missing } => text.with("missing", missing),
            Self::NotUsers { kind } | Self::NotMembers { kind } => text.with("kind", kind),
            Self::NoColumn { column } => text.with("column", column),
            Self::Io(e) => text.with("reason", e),
            Self::SeveralGroups { count } => text.with("count", count),
            Self::Workbook | Self::Binary | Self::Empty | Self::NeedsMembers => text,
        }
    }
}

/// Every code [`ReviewError::text`] and the review notices can carry.
pub const TEXT_CODES: &[&str] = &[
    "review.error.open",
    "review.error.notAFile",
    "review.error.workbook",
    "review.error.binary",
    "review.error.empty",
    "review.error.malformed",
    "review.error.duplicateHeader",
    "review.error.tooLarge",
    "review.error.missingKey",
    "review.error.kindMismatch",
    "review.error.keyTooLong",
    "review.error.noKey",
    "review.error.missingProperties",
    "review.error.notUsers",
    "review.error.needsMembers",
    "review.error.severalGroups",
    "review.error.notMembers",
    "review.error.noColumn",
    "review.error.write",
    "review.error.io",
    "review.notice.shortRows",
    "review.notice.longRows",
    "review.notice.onlyOld",
    "review.notice.onlyNew",
    "review.notice.repeatedKeys",
    "review.notice.membersNotInUsers",
];
