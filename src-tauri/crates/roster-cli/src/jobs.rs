//! `roster jobs list|show|resume|cancel|delete`.

use crate::app::App;
use crate::cli::{Cli, Jobs};
use crate::exit::{Exit, Failure};
use crate::follow::follow;
use roster_core::job::{JobId, JobKind, JobStatus};
use roster_jobs::JobError;
use roster_store::{Job, JobUpdate};
use serde_json::{Value, json};

/// Runs a jobs command.
pub async fn run(cli: &Cli, command: &Jobs) -> Result<Exit, Failure> {
    match command {
        Jobs::List { limit } => {
            let app = App::offline(cli)?;
            let jobs = app.runner.store().list_jobs(*limit, 0)?;
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
            let app = App::offline(cli)?;
            let job = find(&app, id)?;
            if job.status == JobStatus::Running {
                if !force {
                    return Err(Failure::input(format!(
                        "job {} is running in another roster process (or the desktop app); wait for it or \
                         stop it with `roster jobs cancel {}`; if you are sure it is not running, \
                         run `roster jobs resume --force {}`",
                        job.id, job.id, job.id
                    )));
                }
                app.runner.store().update_job(
                    job.id,
                    &JobUpdate {
                        status: Some(JobStatus::Interrupted),
                        ..JobUpdate::default()
                    },
                )?;
            }
            if matches!(job.kind, JobKind::AddMembers | JobKind::RemoveMembers) {
                return crate::members::resume(cli, &job).await;
            }
            drop(app);
            let app = App::connect(cli).await?;
            app.runner.resume(job.id)?;
            let exit = follow(&app, job.id).await;
            app.close().await;
            exit
        }
        Jobs::Cancel { id } => {
            let app = App::offline(cli)?;
            let job = find(&app, id)?;
            let changed = app.runner.cancel(job.id)?;
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
            app.runner.delete(job.id, *with_files).await?;
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

/// A job by full id or unique id prefix.
fn find(app: &App, text: &str) -> Result<Job, Failure> {
    if let Ok(id) = text.parse::<JobId>() {
        return app
            .runner
            .store()
            .get_job(id)?
            .ok_or_else(|| JobError::NotFound(id).into());
    }
    let matches: Vec<Job> = app
        .runner
        .store()
        .list_jobs(10_000, 0)?
        .into_iter()
        .filter(|j| !text.is_empty() && j.id.to_string().starts_with(&text.to_ascii_lowercase()))
        .collect();
    match matches.len() {
        1 => Ok(matches.into_iter().next().unwrap_or_else(|| unreachable!())),
        0 => Err(Failure::input(format!(
            "no job with id '{text}'; `roster jobs list` shows the known jobs"
        ))),
        n => Err(Failure::input(format!(
            "'{text}' matches {n} jobs; give more of the id"
        ))),
    }
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
        "error": job.error,
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
    if let Some(e) = &job.error {
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
