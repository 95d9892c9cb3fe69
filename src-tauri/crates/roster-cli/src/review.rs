//! `roster review stats` and `roster diff`: offline, over files (no sign-in, no network).

use crate::cli::{Cli, CsvFormat};
use crate::exit::{Exit, Failure};
use crate::stdout;
use clap::{Args, Subcommand};
use roster_app::review;
use roster_csv::WriterOptions;
use std::path::PathBuf;

/// `roster review ...`.
#[derive(Debug, Subcommand)]
pub enum Review {
    /// Rows, and per column: filled cells, distinct values and the most frequent values.
    Stats(StatsArgs),
}

/// `roster review stats` flags.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The CSV file (Roster's, the admin center's, PowerShell's or an Excel re-save).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// How many of the most frequent values to list per column.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
}

/// `roster diff` flags.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older snapshot.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer snapshot.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// The column(s) that identify a row, e.g. `id` or `groupId,id` (default: objectId or id for
    /// users and groups, group id + member id for members).
    #[arg(long, value_name = "COL[,COL]", value_delimiter = ',')]
    pub key: Option<Vec<String>>,
    /// Write the differences as CSV: change, the key column(s), field, old, new.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// How the CSV is written.
    #[command(flatten)]
    pub format: CsvFormat,
}

/// Runs `roster review ...`.
pub fn run(cli: &Cli, review: &Review) -> Result<Exit, Failure> {
    match review {
        Review::Stats(args) => stats(cli, args),
    }
}

fn stats(cli: &Cli, args: &StatsArgs) -> Result<Exit, Failure> {
    let stats = review::file_stats(&args.file, args.top)?;
    if cli.json {
        stdout::write(&format!(
            "{}\n",
            serde_json::to_string(&stats).unwrap_or_default()
        ));
        return Ok(Exit::Done);
    }
    let mut text = format!("{} rows, {} columns\n", stats.rows, stats.columns.len());
    let width = stats
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    text.push_str(&format!(
        "{:width$}  {:>10}  {:>10}  top values\n",
        "column", "filled", "distinct"
    ));
    for c in &stats.columns {
        let top: Vec<String> = c
            .top
            .iter()
            .take(3)
            .map(|(v, n)| format!("{} ({n})", shorten(v, 30)))
            .collect();
        text.push_str(&format!(
            "{:width$}  {:>10}  {:>10}  {}\n",
            c.name,
            c.filled,
            c.distinct,
            top.join(", ")
        ));
    }
    stdout::write(&text);
    Ok(Exit::Done)
}

fn shorten(value: &str, max: usize) -> String {
    if value.chars().count() <= max {
        value.to_owned()
    } else {
        let cut: String = value.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// Writer options from the format flags.
pub(crate) fn writer_options(format: &CsvFormat) -> WriterOptions {
    WriterOptions::from(&crate::download::csv_output(PathBuf::new(), format))
}

/// Runs `roster diff`.
pub fn diff(cli: &Cli, args: &DiffArgs) -> Result<Exit, Failure> {
    let key = args.key.as_ref().map(|k| {
        k.iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
    });
    let out = args
        .out
        .as_deref()
        .map(|path| (path, writer_options(&args.format)));
    let result = review::compare_files(&args.old, &args.new, key.as_deref(), out)?;
    let c = result.counts;
    if cli.json {
        let json = serde_json::json!({
            "key": result.key,
            "added": c.added,
            "removed": c.removed,
            "changed": c.changed,
            "unchanged": c.unchanged,
        });
        stdout::write(&format!("{json}\n"));
    } else {
        stdout::write(&format!(
            "{} added, {} removed, {} changed, {} unchanged (matched by {})\n",
            c.added,
            c.removed,
            c.changed,
            c.unchanged,
            result.key.join(" + ")
        ));
        if let (Some(path), Some(lines)) = (&args.out, result.lines_written) {
            stdout::write(&format!("{lines} lines written to {}\n", path.display()));
        }
    }
    for notice in &result.notices {
        eprintln!("note: {notice}");
    }
    Ok(Exit::Done)
}
