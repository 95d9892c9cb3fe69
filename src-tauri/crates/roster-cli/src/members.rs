//! `roster members add|remove --group ID_OR_NAME --file F [--dry-run] [--results FILE] [--yes]`:
//! bulk membership changes from a file, previewed before anything changes. Names and flags are
//! a contract: scripts depend on them.
//!
//! Without `--yes`, the preview is printed and, on a terminal, confirmation is asked; with no
//! terminal the command stops with exit code 2. Running the same command again after a crash,
//! an error or Ctrl-C resumes the unfinished job for the same group, file and results path.

use crate::app::{graph_client, open_store};
use crate::cli::Cli;
use crate::exit::{Exit, Failure};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use roster_core::job::{JobId, JobKind, JobStatus};
use roster_emulator::Emulator;
use roster_graph::{ConcurrencyLimiter, GraphClient};
use roster_jobs::membership::{
    ApplyProgress, CancellationToken, EngineConfig, ErrorClass, JobReport, MembershipError,
    MembershipOp, MembershipSpec, Preview, RowState, create_job, preview, run_job,
    write_limiter_config, write_results,
};
use roster_store::Store;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Rows listed in the text preview (the results file has all of them).
const PREVIEW_ROWS: usize = 25;

/// `roster members ...`.
#[derive(Debug, Subcommand)]
pub enum Members {
    /// Add the users and objects listed in a file to a group.
    Add(MembersArgs),
    /// Remove the users and objects listed in a file from a group.
    Remove(MembersArgs),
}

/// Flags of `roster members add|remove`.
#[derive(Debug, Args)]
pub struct MembersArgs {
    /// The group: its object ID or its exact display name.
    #[arg(long, value_name = "ID_OR_NAME")]
    pub group: String,
    /// The member file: the admin center template (with or without `version:v1.0`), an
    /// `ObjectId` column or a plain list of object IDs, UPNs or mail addresses; CSV (UTF-8,
    /// UTF-16, Windows-1252; `,` `;` or tab) or .xlsx.
    #[arg(long, value_name = "F")]
    pub file: PathBuf,
    /// Show what would change and stop (exit 1 when some rows cannot be processed).
    #[arg(long)]
    pub dry_run: bool,
    /// Where to write the per-row results (default: beside the file, `F.add-results.csv`).
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Apply without asking (needed when not on a terminal).
    #[arg(long)]
    pub yes: bool,
}

/// Runs `roster members add|remove`.
pub async fn run(cli: &Cli, command: &Members) -> Result<Exit, Failure> {
    let (op, args) = match command {
        Members::Add(args) => (MembershipOp::Add, args),
        Members::Remove(args) => (MembershipOp::Remove, args),
    };
    let file =
        roster_csv::read_member_file(&args.file).map_err(|e| Failure::input(e.to_string()))?;
    let results = args
        .results
        .clone()
        .unwrap_or_else(|| default_results(&args.file, op));
    let store = open_store(cli)?;
    let (client, demo) = connect(cli).await?;
    let exit = execute(cli, op, args, &file, results, &store, &client).await;
    if let Some(emu) = demo {
        emu.shutdown().await;
    }
    exit
}

async fn execute(
    cli: &Cli,
    op: MembershipOp,
    args: &MembersArgs,
    file: &roster_csv::MemberFile,
    results: PathBuf,
    store: &Arc<Store>,
    client: &GraphClient,
) -> Result<Exit, Failure> {
    let config = EngineConfig::default();
    let mut planned = preview(client, &config, op, &args.group, file)
        .await
        .map_err(failure)?;
    let spec = MembershipSpec::new(op, planned.group.id.clone(), args.file.clone(), results);
    if args.dry_run {
        show_preview(cli, &planned, &args.file);
        if args.results.is_some() {
            let path = write_results(&planned, &spec.results).map_err(failure)?;
            eprintln!("Wrote the preview of every row to {}", path.display());
        }
        return Ok(if planned.counts.errors() > 0 {
            Exit::RowErrors
        } else {
            Exit::Done
        });
    }
    if !args.yes {
        show_preview(cli, &planned, &args.file);
        if !std::io::stdin().is_terminal() {
            return Err(Failure::input(
                "not applied: pass --yes to apply without confirmation (or --dry-run to only preview)",
            ));
        }
        if !confirm(&planned)? {
            eprintln!("Nothing changed.");
            return Ok(Exit::Done);
        }
    } else if !cli.json {
        eprintln!("{}", headline(&planned));
    }
    let job = match resumable_job(store, &spec)? {
        Some(job) => {
            eprintln!("Resuming the unfinished job {job} for this group and file.");
            job
        }
        None => create_job(store, &spec).map_err(failure)?,
    };
    apply(cli, client, store, &config, job, &spec, &mut planned).await
}

/// `roster jobs resume ID` for an add/remove members job: a fresh preview from the stored spec
/// (the same file and group; rows the stopped run already did show up as done), then the same job
/// goes on, so no row is sent twice.
pub async fn resume(cli: &Cli, job: &roster_store::Job) -> Result<Exit, Failure> {
    let spec: MembershipSpec = serde_json::from_value(job.spec.clone()).map_err(|e| {
        Failure::input(format!(
            "job {} is not a readable membership job ({e}); start it again with `roster members`",
            job.id
        ))
    })?;
    let file = roster_csv::read_member_file(&spec.file).map_err(|e| {
        Failure::input(format!(
            "job {} cannot be resumed: its member file {} cannot be read: {e}",
            job.id,
            spec.file.display()
        ))
    })?;
    let store = open_store(cli)?;
    let (client, demo) = connect(cli).await?;
    let config = EngineConfig::default();
    let exit = match preview(&client, &config, spec.op, &spec.group, &file).await {
        Ok(mut planned) => {
            if !cli.json {
                eprintln!("Resuming job {}: {}", job.id, headline(&planned));
            }
            apply(cli, &client, &store, &config, job.id, &spec, &mut planned).await
        }
        Err(e) => Err(failure(e)),
    };
    if let Some(emu) = demo {
        emu.shutdown().await;
    }
    exit
}

/// Runs `job` for the previewed rows with a progress bar and Ctrl-C handling, then reports.
async fn apply(
    cli: &Cli,
    client: &GraphClient,
    store: &Arc<Store>,
    config: &EngineConfig,
    job: JobId,
    spec: &MembershipSpec,
    planned: &mut Preview,
) -> Result<Exit, Failure> {
    let cancel = CancellationToken::new();
    let bar = progress_bar(planned.pending() as u64);
    let mut on_progress = {
        let bar = bar.clone();
        move |p: &ApplyProgress| {
            bar.set_length(p.total);
            bar.set_position(p.done);
        }
    };
    let work = run_job(
        client,
        config,
        store,
        job,
        spec,
        planned,
        &mut on_progress,
        &cancel,
    );
    tokio::pin!(work);
    let mut stopping = false;
    let outcome = loop {
        tokio::select! {
            outcome = &mut work => break outcome,
            _ = tokio::signal::ctrl_c(), if !stopping => {
                stopping = true;
                bar.println("stopping after the changes already sent (Ctrl-C)...");
                cancel.cancel();
            }
        }
    };
    bar.finish_and_clear();
    match outcome {
        Ok(report) => Ok(show_report(cli, &report)),
        Err(e) => {
            let fail = failure(e);
            Err(Failure::new(
                fail.exit,
                format!(
                    "{}\nThe job ({job}) stopped; every row done so far is recorded. Run the same command again (or `roster jobs resume {job}`) to continue where it stopped.",
                    fail.message
                ),
            ))
        }
    }
}

/// The Graph client with the same sign-in as every command (`--demo`, `ROSTER_ACCESS_TOKEN`,
/// app-only credentials or the signed-in account), paced by the write bucket.
async fn connect(cli: &Cli) -> Result<(GraphClient, Option<Emulator>), Failure> {
    graph_client(cli, Some(ConcurrencyLimiter::new(write_limiter_config()))).await
}

/// `members.csv` → `members.add-results.csv` beside it.
fn default_results(file: &Path, op: MembershipOp) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "members".into());
    file.with_file_name(format!("{stem}.{}-results.csv", op.as_str()))
}

/// An unfinished job (failed, interrupted, cancelled) with exactly this spec, to resume.
fn resumable_job(store: &Store, spec: &MembershipSpec) -> Result<Option<JobId>, Failure> {
    store.mark_interrupted()?;
    let wanted = serde_json::to_value(spec).map_err(|e| Failure::input(e.to_string()))?;
    let kind = match spec.op {
        MembershipOp::Add => JobKind::AddMembers,
        MembershipOp::Remove => JobKind::RemoveMembers,
    };
    Ok(store
        .list_jobs(100, 0)?
        .into_iter()
        .find(|j| j.kind == kind && j.status.is_resumable() && j.spec == wanted)
        .map(|j| j.id))
}

/// The exit code and message for an engine error.
fn failure(e: MembershipError) -> Failure {
    let exit = match e.class() {
        ErrorClass::Input | ErrorClass::Io => Exit::BadInput,
        ErrorClass::Auth => Exit::Auth,
        ErrorClass::Graph => Exit::Graph,
    };
    Failure::new(exit, e.to_string())
}

fn headline(p: &Preview) -> String {
    let verb = match p.op {
        MembershipOp::Add => "Add to",
        MembershipOp::Remove => "Remove from",
    };
    format!(
        "{verb} '{}' ({}): {}",
        p.group.display_name,
        p.group.id,
        p.counts.summary()
    )
}

/// Prints the preview: JSON on stdout with `--json`, else counts, notices and the rows that
/// will not simply be changed, on stderr.
fn show_preview(cli: &Cli, p: &Preview, file: &Path) {
    if cli.json {
        match serde_json::to_string_pretty(p) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: could not encode the preview as JSON: {e}"),
        }
        return;
    }
    eprintln!("{}", headline(p));
    eprintln!("File: {} ({} rows)", file.display(), p.rows.len());
    for notice in &p.notices {
        eprintln!("note: {notice}");
    }
    let others: Vec<_> = p.rows.iter().filter(|r| !r.state.is_pending()).collect();
    for row in others.iter().take(PREVIEW_ROWS) {
        eprintln!(
            "  line {:>6}  {:<15} {}  ({})",
            row.line,
            row.state.as_str(),
            row.input,
            row.reason
        );
    }
    if others.len() > PREVIEW_ROWS {
        eprintln!(
            "  ... and {} more rows with nothing to do or an error (every row is in the results file)",
            others.len() - PREVIEW_ROWS
        );
    }
}

/// Asks on the terminal; anything but y/yes is no.
fn confirm(p: &Preview) -> Result<bool, Failure> {
    let pending = p.pending();
    let verb = match p.op {
        MembershipOp::Add => "add",
        MembershipOp::Remove => "remove",
    };
    eprint!(
        "{} {pending} members {} '{}'? [y/N] ",
        capital(verb),
        if p.op == MembershipOp::Add {
            "to"
        } else {
            "from"
        },
        p.group.display_name
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::input(format!("could not read the answer: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

fn capital(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr_with_hz(4));
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} rows {wide_bar} {per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// Prints how the job ended and returns its exit code.
fn show_report(cli: &Cli, report: &JobReport) -> Exit {
    let exit = match report.status {
        JobStatus::Completed => Exit::Done,
        JobStatus::CompletedWithErrors => Exit::RowErrors,
        _ => Exit::Stopped,
    };
    if cli.json {
        match serde_json::to_string_pretty(report) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: could not encode the result as JSON: {e}"),
        }
        return exit;
    }
    let done = report.counts.get(RowState::Added) + report.counts.get(RowState::Removed);
    match report.status {
        JobStatus::Cancelled => eprintln!(
            "Stopped after {done} changes (job {}); run the same command again to continue.",
            report.id
        ),
        _ => {
            println!(
                "{} (job {}): {}",
                report.status,
                report.id,
                report.counts.summary()
            );
            println!("Results: {}", report.results.display());
            if let Some(undo) = &report.undo {
                println!("Undo file: {}", undo.display());
            }
            if let Some(error) = &report.error {
                eprintln!("warning: {error}");
            }
        }
    }
    exit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_results_sit_beside_the_input() {
        assert_eq!(
            default_results(Path::new("/data/new-hires.csv"), MembershipOp::Add),
            PathBuf::from("/data/new-hires.add-results.csv")
        );
        assert_eq!(capital("remove"), "Remove");
    }
}
