//! `roster members add|remove --group ID_OR_NAME --file F [--dry-run] [--results FILE] [--yes]`:
//! bulk membership changes from a file, previewed before anything changes. Names and flags are
//! a contract: scripts depend on them.
//!
//! Without `--yes`, the preview is printed and, on a terminal, confirmation is asked; with no
//! terminal the command stops with exit code 2. Running the same command again after a crash,
//! an error or Ctrl-C resumes the unfinished job for the same group, file and results path.

use crate::app::App;
use crate::cli::Cli;
use crate::exit::{Exit, Failure};
use crate::follow::watch;
use clap::{Args, Subcommand};
use roster_app::Connection;
use roster_app::membership::{preview_membership, start_membership};
use roster_core::job::JobStatus;
use roster_jobs::JobOutcome;
use roster_jobs::membership::{
    ErrorClass, JobReport, MembershipError, MembershipJob, MembershipOp, Preview, RowState,
    write_results,
};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

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
    let app = connect(cli, args.dry_run).await?;
    let exit = execute(&app, op, args).await;
    app.close().await;
    exit
}

/// The User-Agent of the CLI's Graph requests.
const USER_AGENT: &str = concat!("roster-cli/", env!("CARGO_PKG_VERSION"));

/// The app for a membership change. As the signed-in account, its connection asks for the write
/// permission (GroupMember.ReadWrite.All) before the preview, unless this is a dry run: silently
/// when the saved sign-in can get it, otherwise it stops with "sign in again to allow changes" and
/// the command to run (exit code 3). Writes never go out with a read-only token.
async fn connect(cli: &Cli, dry_run: bool) -> Result<App, Failure> {
    let Some(session) = crate::signin::account_session(cli)? else {
        return App::connect(cli).await;
    };
    let connection = Connection::account(session, cli.graph_url.as_deref(), USER_AGENT)?;
    if !dry_run {
        connection.write_graph().await?;
    }
    let mut app = App::offline(cli)?;
    app.connection = Some(connection);
    Ok(app)
}

async fn execute(app: &App, op: MembershipOp, args: &MembersArgs) -> Result<Exit, Failure> {
    let connection = app.connection()?;
    let previewed = preview_membership(connection, op, &args.group, &args.file).await?;
    let spec = previewed.spec(args.results.clone());
    let planned = &previewed.preview;
    if args.dry_run {
        show_preview(app.json, planned, &args.file);
        if args.results.is_some() {
            let path = write_results(planned, &spec.results).map_err(failure)?;
            eprintln!("Wrote the preview of every row to {}", path.display());
        }
        return Ok(if planned.counts.errors() > 0 {
            Exit::RowErrors
        } else {
            Exit::Done
        });
    }
    if !args.yes {
        show_preview(app.json, planned, &args.file);
        if !std::io::stdin().is_terminal() {
            return Err(Failure::input(
                "not applied: pass --yes to apply without confirmation (or --dry-run to only preview)",
            ));
        }
        if !confirm(planned)? {
            eprintln!("Nothing changed.");
            return Ok(Exit::Done);
        }
    } else if !app.json {
        eprintln!("{}", headline(planned));
    }
    let events = app.jobs.subscribe();
    let job = match app
        .jobs
        .unfinished_membership(&previewed, args.results.as_deref())?
    {
        Some((id, stored)) => {
            eprintln!("Resuming the unfinished job {id} for this group and file.");
            let work = MembershipJob::with_preview(stored, previewed.preview);
            app.jobs.resume_with(id, Box::new(work), connection).await?;
            id
        }
        None => {
            start_membership(&app.jobs, previewed, args.results.clone(), connection)
                .await?
                .id
        }
    };
    let outcome = watch(app, job, events).await?;
    finish(app.json, &outcome)
}

/// Prints how a membership job ended and returns its exit code.
pub fn finish(json: bool, outcome: &JobOutcome) -> Result<Exit, Failure> {
    let job = outcome.id;
    if let Some(report) = &outcome.report {
        let report: JobReport = serde_json::from_value(report.clone()).map_err(|e| {
            Failure::new(Exit::Graph, format!("could not read the job's report: {e}"))
        })?;
        return Ok(show_report(json, &report));
    }
    match outcome.status {
        JobStatus::Cancelled | JobStatus::Interrupted => {
            eprintln!(
                "Stopped (job {job} is {}); every row done so far is recorded. Run the same command again (or `roster jobs resume {job}`) to continue.",
                outcome.status
            );
            Ok(Exit::Stopped)
        }
        _ => Err(Failure::new(
            Exit::of_outcome(outcome),
            format!(
                "{}\nThe job ({job}) stopped; every row done so far is recorded. Run the same command again (or `roster jobs resume {job}`) to continue where it stopped.",
                outcome.error.as_deref().unwrap_or("the job failed")
            ),
        )),
    }
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
fn show_preview(json: bool, p: &Preview, file: &Path) {
    if json {
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

/// Prints how the job ended and returns its exit code.
fn show_report(json: bool, report: &JobReport) -> Exit {
    let exit = match report.status {
        JobStatus::Completed => Exit::Done,
        JobStatus::CompletedWithErrors => Exit::RowErrors,
        _ => Exit::Stopped,
    };
    if json {
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
