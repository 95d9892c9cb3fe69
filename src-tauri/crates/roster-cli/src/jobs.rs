//! `roster jobs list|show|resume|cancel|delete`.

use crate::app::App;
use crate::cli::{Cli, Jobs};
use crate::exit::{Exit, Failure};
use crate::follow::follow;
use roster_core::job::{JobKind, JobStatus};
use roster_core::text::Text;
use roster_store::Job;
use serde_json::{Value, json};

/// Runs a jobs command.
pub async fn run(cli: &Cli, command: &Jobs) -> Result<Exit, Failure> {
    match command {
        Jobs::List { limit } => {
            let app = App::offline(cli)?;
            let jobs = app.jobs.list(*limit, 0)?;
            if app.json {
                print_json(&Value::Array(jobs.iter().map(job_json).collect()));
            } else if jobs.is_empty() {
                println!("No jobs yet.");
            } else {
                for job in &jobs {
                    println!(
                        "{}  {:<22} {:>9} rows  {}  {}",
                        job.id,
                        job.status.as_str(),
                        job.counts.succeeded,
                        job.created_at.format("%Y-%m-%d %H:%M"),
                        job.name
                    );
                }
            }
            Ok(Exit::Done)
        }
        Jobs::Show { id } => {
            let app = App::offline(cli)?;
            let job = find(&app, id)?;
            if app.json {
                print_json(&job_json(&job));
            } else {
                show(&job);
            }
            Ok(Exit::Done)
        }
        Jobs::Resume { id, force } => {
            let job = find(&App::offline(cli)?, id)?;
            if job.status == JobStatus::Running {
                if !force {
                    return Err(Failure::input(format!(
                        "job {} is running in another roster process (or the desktop app); wait for it or \
                         stop it with `roster jobs cancel {}`; if you are sure it is not running, \
                         run `roster jobs resume --force {}`",
                        job.id, job.id, job.id
                    )));
                }
                App::offline(cli)?.jobs.mark_interrupted_by_hand(job.id)?;
            }
            let app = App::connect(cli).await?;
            let exit = resume(&app, &job).await;
            app.close().await;
            exit
        }
        Jobs::Cancel { id } => {
            let app = App::offline(cli)?;
            let job = find(&app, id)?;
            let changed = app.jobs.cancel(job.id)?;
            if app.json {
                print_json(&json!({ "id": job.id, "cancelled": changed }));
            } else if changed {
                println!(
                    "Cancelled job {} (a running job stops at its next page).",
                    job.id
                );
            } else {
                println!(
                    "Job {} had already ended ({}); nothing to cancel.",
                    job.id, job.status
                );
            }
            Ok(Exit::Done)
        }
        Jobs::Delete { id, with_files } => {
            let app = App::offline(cli)?;
            let job = find(&app, id)?;
            app.jobs.delete(job.id, *with_files).await?;
            if app.json {
                print_json(&json!({ "id": job.id, "deleted": true, "filesDeleted": with_files }));
            } else {
                println!(
                    "Deleted job {}{}.",
                    job.id,
                    if *with_files { " and its files" } else { "" }
                );
            }
            Ok(Exit::Done)
        }
    }
}

/// Resumes `job` and follows it: a membership change previews its file afresh first (rows the
/// stopped run already did show up as done, so none is sent twice).
async fn resume(app: &App, job: &Job) -> Result<Exit, Failure> {
    let events = app.jobs.subscribe();
    app.jobs.resume(job.id, app.connection()?).await?;
    if matches!(job.kind, JobKind::AddMembers | JobKind::RemoveMembers) {
        if !app.json {
            eprintln!("Resuming job {}: {}", job.id, job.name);
        }
        let outcome = crate::follow::watch(app, job.id, events).await?;
        return crate::members::finish(app.json, &outcome);
    }
    follow(app, job.id, events).await
}

/// A job by full id or unique start of it; an unknown one points at `roster jobs list`.
fn find(app: &App, id: &str) -> Result<Job, Failure> {
    app.jobs.find(id).map_err(|e| match e.code {
        roster_app::ErrorCode::NotFound => Failure::input(format!(
            "no job with id '{id}'; `roster jobs list` shows the known jobs"
        )),
        _ => e.into(),
    })
}

fn job_json(job: &Job) -> Value {
    json!({
        "id": job.id,
        "kind": job.kind,
        "name": job.name,
        "status": job.status,
        "counts": job.counts,
        "createdAt": job.created_at,
        "startedAt": job.started_at,
        "finishedAt": job.finished_at,
        "output": job.output_path,
        "error": job.error.as_deref().map(|e| Text::from_stored(e).english),
        "spec": job.spec,
    })
}

fn show(job: &Job) {
    println!("Job       {}", job.id);
    println!("What      {}", job.name);
    println!("Status    {}", job.status);
    let total = job
        .counts
        .total
        .map(|t| format!(" of {t}"))
        .unwrap_or_default();
    println!(
        "Rows      {}{total} ({} warnings)",
        job.counts.succeeded, job.counts.failed
    );
    println!("Created   {}", job.created_at.to_rfc3339());
    if let Some(t) = job.started_at {
        println!("Started   {}", t.to_rfc3339());
    }
    if let Some(t) = job.finished_at {
        println!("Finished  {}", t.to_rfc3339());
    }
    if let Some(p) = &job.output_path {
        println!("File      {}", p.display());
    }
    if let Some(e) = job.error.as_deref().map(Text::from_stored) {
        println!("Note      {e}");
    }
    if job.status.is_resumable() {
        println!("Resume    roster jobs resume {}", job.id);
    }
}

fn print_json(value: &Value) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: could not encode JSON: {e}"),
    }
}
