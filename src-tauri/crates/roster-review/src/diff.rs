//! Comparing two snapshots of the same kind: rows matched by key (the object id; group id and
//! member id for members), fields matched by column name (so column order, row order, delimiter,
//! encoding and BOM may differ), values compared as text after decoding.
//!
//! Order of the result (and of the CSV written by [`write_csv`]): added and changed rows in the new
//! file's row order, then removed rows in the old file's order; the fields of a changed row in the
//! new file's column order. The same two files always give the same result.

use crate::error::ReviewError;
use crate::kind::{self, FileKind};
use crate::table::Table;
use hashbrown::HashMap;
use roster_core::text::Text;
use roster_csv::WriterOptions;
use serde::Serialize;
use std::path::Path;

/// What happened to one object between the snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    /// Only in the new file.
    Added,
    /// Only in the old file.
    Removed,
    /// In both, with at least one field different.
    Changed,
}

impl Change {
    /// The word written in the `change` column.
    pub fn word(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// One object that differs: its rows and, when changed, the fields that differ (positions in
/// [`Diff::fields`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Added, removed or changed.
    pub change: Change,
    /// Its row in the old file (removed and changed).
    pub old_row: Option<u32>,
    /// Its row in the new file (added and changed).
    pub new_row: Option<u32>,
    /// The fields that differ (changed only).
    pub fields: Vec<u32>,
}

/// A field both files have: its name and its column in each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The name (the new file's header).
    pub name: String,
    /// Column in the old file.
    pub old: usize,
    /// Column in the new file.
    pub new: usize,
}

/// The comparison of two snapshots.
pub struct Diff {
    /// The key columns' names (the new file's headers).
    pub key: Vec<String>,
    /// The key's columns in the old file.
    pub old_key: Vec<usize>,
    /// The key's columns in the new file.
    pub new_key: Vec<usize>,
    /// The fields compared.
    pub fields: Vec<Field>,
    /// Every difference, in the documented order.
    pub differences: Vec<Difference>,
    /// Objects in both files with every compared field equal.
    pub unchanged: u64,
    /// What the reader should know: columns only one file has, repeated or empty keys.
    pub notices: Vec<Text>,
}

/// The counts of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffCounts {
    /// Only in the new file.
    pub added: u64,
    /// Only in the old file.
    pub removed: u64,
    /// In both and different.
    pub changed: u64,
    /// In both and equal.
    pub unchanged: u64,
}

impl Diff {
    /// How many of each.
    pub fn counts(&self) -> DiffCounts {
        let count = |c: Change| self.differences.iter().filter(|d| d.change == c).count() as u64;
        DiffCounts {
            added: count(Change::Added),
            removed: count(Change::Removed),
            changed: count(Change::Changed),
            unchanged: self.unchanged,
        }
    }
}

/// The key columns of `table`: the named ones (`key`) or the kind's default.
fn key_columns(
    table: &Table,
    key: Option<&[String]>,
    file: &str,
) -> Result<Vec<usize>, ReviewError> {
    match key {
        Some(names) => names
            .iter()
            .map(|name| {
                table
                    .column_index(name)
                    .ok_or_else(|| ReviewError::MissingKey {
                        file: file.to_owned(),
                        column: name.clone(),
                        available: table.headers().join(", "),
                    })
            })
            .collect(),
        None => kind::default_key(table.kind, &table.headers()).ok_or_else(|| ReviewError::NoKey {
            file: file.to_owned(),
        }),
    }
}

/// Checks that two files can be compared and picks their key columns.
pub fn plan(
    old: &Table,
    new: &Table,
    key: Option<&[String]>,
) -> Result<(Vec<usize>, Vec<usize>), ReviewError> {
    if old.kind != new.kind && old.kind != FileKind::Other && new.kind != FileKind::Other
        || key.is_none() && old.kind != new.kind
    {
        return Err(ReviewError::KindMismatch {
            old: old.kind.noun().to_owned(),
            new: new.kind.noun().to_owned(),
        });
    }
    if let Some(names) = key.filter(|k| k.is_empty() || k.len() > 2) {
        return Err(ReviewError::KeyTooLong { given: names.len() });
    }
    let old_key = key_columns(old, key, "the old file")?;
    let new_key = key_columns(new, key, "the new file")?;
    if old_key.len() != new_key.len() {
        return Err(ReviewError::NoKey {
            file: "the old file".to_owned(),
        });
    }
    Ok((old_key, new_key))
}

/// The fields both files have (by exact name, then by loose name), and notices for the rest.
fn match_fields(old: &Table, new: &Table, keys: (&[usize], &[usize])) -> (Vec<Field>, Vec<Text>) {
    let old_names = old.headers();
    let mut used = vec![false; old_names.len()];
    for &k in keys.0 {
        used[k] = true;
    }
    let mut fields = Vec::new();
    let mut only_new = Vec::new();
    for (n, name) in new.headers().into_iter().enumerate() {
        if keys.1.contains(&n) {
            continue;
        }
        let exact = old_names.iter().position(|o| *o == name);
        let loose = || {
            let wanted = kind::normalise(&name);
            old_names.iter().position(|o| kind::normalise(o) == wanted)
        };
        match exact.or_else(loose).filter(|&o| !used[o]) {
            Some(o) => {
                used[o] = true;
                fields.push(Field {
                    name,
                    old: o,
                    new: n,
                });
            }
            None => only_new.push(name),
        }
    }
    let only_old: Vec<String> = old_names
        .into_iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(n, _)| n)
        .collect();
    let mut notices = Vec::new();
    for (code, which, names) in [
        ("review.notice.onlyOld", "old", only_old),
        ("review.notice.onlyNew", "new", only_new),
    ] {
        if !names.is_empty() {
            let list = names.join(", ");
            notices.push(
                Text::new(
                    code,
                    format!("only the {which} file has the columns {list}: they are not compared"),
                )
                .with("columns", list),
            );
        }
    }
    (fields, notices)
}

type Key<'a> = (&'a str, &'a str);

fn key_of<'a>(table: &'a Table, columns: &[usize], row: u32) -> Key<'a> {
    let first = table.cell(row, columns[0]);
    let second = columns.get(1).map_or("", |&c| table.cell(row, c));
    (first, second)
}

/// The fields that differ for each pair (empty for a new row without an old one), compared on
/// two threads.
fn changed_fields(
    old: &Table,
    new: &Table,
    fields: &[Field],
    pairs: &[(u32, Option<u32>)],
) -> Vec<Vec<u32>> {
    let compare = |part: &[(u32, Option<u32>)]| -> Vec<Vec<u32>> {
        part.iter()
            .map(|&(row, o)| match o {
                Some(o) => fields
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| old.cell(o, f.old) != new.cell(row, f.new))
                    .map(|(i, _)| i as u32)
                    .collect(),
                None => Vec::new(),
            })
            .collect()
    };
    let (first, second) = pairs.split_at(pairs.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| compare(second));
        let mut out = compare(first);
        out.extend(
            other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        out
    })
}

/// Compares `old` with `new`, matching rows by `key` (column names; the kind's default when
/// None). Keys of more than two columns are refused by [`plan`]'s caller.
pub fn compare(old: &Table, new: &Table, key: Option<&[String]>) -> Result<Diff, ReviewError> {
    let (old_key, new_key) = plan(old, new, key)?;
    let (fields, mut notices) = match_fields(old, new, (&old_key, &new_key));
    let mut index: HashMap<Key<'_>, u32> = HashMap::with_capacity(old.rows());
    let mut repeated = (0u64, 0u64);
    for row in 0..old.rows() as u32 {
        if index.insert(key_of(old, &old_key, row), row).is_some() {
            repeated.0 += 1;
        }
    }
    // Pair each new row with its old row, in order (the first new row with a key takes it).
    let mut matched = vec![false; old.rows()];
    let mut seen_new: HashMap<Key<'_>, ()> = HashMap::with_capacity(new.rows());
    let pairs: Vec<(u32, Option<u32>)> = (0..new.rows() as u32)
        .map(|row| {
            let k = key_of(new, &new_key, row);
            if seen_new.insert(k, ()).is_some() {
                repeated.1 += 1;
            }
            match index.get(&k) {
                Some(&o) if !matched[o as usize] => {
                    matched[o as usize] = true;
                    (row, Some(o))
                }
                _ => (row, None),
            }
        })
        .collect();
    drop(seen_new);
    let changed = changed_fields(old, new, &fields, &pairs);
    let mut differences = Vec::new();
    let mut unchanged = 0;
    for (&(row, o), changed) in pairs.iter().zip(changed) {
        match o {
            Some(_) if changed.is_empty() => unchanged += 1,
            Some(_) => differences.push(Difference {
                change: Change::Changed,
                old_row: o,
                new_row: Some(row),
                fields: changed,
            }),
            None => differences.push(Difference {
                change: Change::Added,
                old_row: None,
                new_row: Some(row),
                fields: Vec::new(),
            }),
        }
    }
    for (row, _) in matched.iter().enumerate().filter(|(_, m)| !**m) {
        differences.push(Difference {
            change: Change::Removed,
            old_row: Some(row as u32),
            new_row: None,
            fields: Vec::new(),
        });
    }
    for (count, which) in [(repeated.0, "old"), (repeated.1, "new")] {
        if count > 0 {
            notices.push(
                Text::new(
                    "review.notice.repeatedKeys",
                    format!("{count} rows of the {which} file repeat a key of an earlier row: each is compared on its own and may show as added or removed"),
                )
                .with("count", count)
                .with("file", which),
            );
        }
    }
    let names = new.headers();
    Ok(Diff {
        key: new_key.iter().map(|&c| names[c].clone()).collect(),
        old_key,
        new_key,
        fields,
        differences,
        unchanged,
        notices,
    })
}

/// Writes the comparison as CSV: `change`, the key columns, `field`, `old`, `new`; one row per
/// added or removed object (field, old and new empty) and one per changed field.
pub fn write_csv(
    diff: &Diff,
    old: &Table,
    new: &Table,
    dest: &Path,
    options: WriterOptions,
) -> Result<u64, ReviewError> {
    let mut header = vec!["change".to_owned()];
    header.extend(diff.key.iter().cloned());
    header.extend(["field", "old", "new"].map(str::to_owned));
    crate::export::write_csv_file(dest, options, |writer| {
        let mut lines = 0u64;
        writer.write_record(&header)?;
        for d in &diff.differences {
            let keys: Vec<&str> = match (d.new_row, d.old_row) {
                (Some(r), _) => diff.new_key.iter().map(|&c| new.cell(r, c)).collect(),
                (None, Some(r)) => diff.old_key.iter().map(|&c| old.cell(r, c)).collect(),
                (None, None) => Vec::new(),
            };
            if d.change == Change::Changed {
                let (o, n) = (d.old_row.unwrap_or(0), d.new_row.unwrap_or(0));
                for &f in &d.fields {
                    let field = &diff.fields[f as usize];
                    let mut cells = vec![d.change.word()];
                    cells.extend(&keys);
                    cells.extend([
                        field.name.as_str(),
                        old.cell(o, field.old),
                        new.cell(n, field.new),
                    ]);
                    writer.write_record(cells)?;
                    lines += 1;
                }
            } else {
                let mut cells = vec![d.change.word()];
                cells.extend(&keys);
                cells.extend(["", "", ""]);
                writer.write_record(cells)?;
                lines += 1;
            }
        }
        Ok(lines)
    })
}

/// Who joined and who left one group (members comparisons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupChanges {
    /// The group id ("" for a one-group file).
    pub group_id: String,
    /// Its display name when the file has one.
    pub group_name: String,
    /// Members added.
    pub joined: u64,
    /// Members removed.
    pub left: u64,
}

/// Joins and leaves per group, for a members comparison, groups in order of first appearance.
pub fn group_changes(diff: &Diff, old: &Table, new: &Table) -> Vec<GroupChanges> {
    let group = |t: &Table| kind::group_column(&t.headers());
    let name = |t: &Table| kind::find(&t.headers(), &["groupname", "groupdisplayname"]);
    let (og, ng, on, nn) = (group(old), group(new), name(old), name(new));
    let mut out: Vec<GroupChanges> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for d in &diff.differences {
        let (table, row, gcol, ncol) = match (d.change, d.new_row, d.old_row) {
            (Change::Added, Some(r), _) => (new, r, ng, nn),
            (Change::Removed, _, Some(r)) => (old, r, og, on),
            _ => continue,
        };
        let id = gcol.map_or("", |c| table.cell(row, c)).to_owned();
        let i = *at.entry(id.clone()).or_insert_with(|| {
            out.push(GroupChanges {
                group_id: id.clone(),
                group_name: ncol.map_or("", |c| table.cell(row, c)).to_owned(),
                joined: 0,
                left: 0,
            });
            out.len() - 1
        });
        if d.change == Change::Added {
            out[i].joined += 1;
        } else {
            out[i].left += 1;
        }
    }
    out
}
