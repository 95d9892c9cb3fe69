//! Following a running job in the terminal: a progress bar on stderr (only when stderr is a
//! terminal), notices on stderr, Ctrl-C to stop (the job stays resumable), and the summary.

use crate::app::App;
use crate::exit::{Exit, Failure};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use roster_core::job::{JobId, JobStatus};
use roster_jobs::{JobEvent, JobOutcome};
use std::io::IsTerminal;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// The events of the jobs this command starts: subscribe before starting a job, so that no notice
/// it sends at once (the cost of authentication-method columns) is missed.
pub type Events = tokio::sync::broadcast::Receiver<JobEvent>;

/// Waits for job `id`, showing progress, and returns its exit code after printing the summary.
pub async fn follow(app: &App, id: JobId, events: Events) -> Result<Exit, Failure> {
    let outcome = watch(app, id, events).await?;
    report(app, &outcome);
    Ok(Exit::of_outcome(&outcome))
}

/// Waits for job `id` with a progress bar on stderr; Ctrl-C interrupts it (it stays resumable).
pub async fn watch(app: &App, id: JobId, mut events: Events) -> Result<JobOutcome, Failure> {
    let bar = progress_bar();
    let wait = app.jobs.wait(id);
    tokio::pin!(wait);
    let mut interrupted = false;
    let outcome = loop {
        tokio::select! {
            outcome = &mut wait => break outcome?,
            event = events.recv() => match event {
                Ok(event) if event.job_id() == id => show(&bar, &event),
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => {}
            },
            _ = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                bar.println("stopping at the end of the current page (Ctrl-C)...");
                app.jobs.interrupt(id);
            }
        }
    };
    bar.finish_and_clear();
    Ok(outcome)
}

fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} rows {wide_bar} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn show(bar: &ProgressBar, event: &JobEvent) {
    match event {
        JobEvent::Progress(p) => {
            if let Some(total) = p.total {
                bar.set_length(total.max(p.items));
            }
            bar.set_position(p.items);
            let eta = p
                .eta_secs
                .map(|s| format!(", {s} s left"))
                .unwrap_or_default();
            let warnings = if p.warnings > 0 {
                format!(", {} warnings", p.warnings)
            } else {
                String::new()
            };
            bar.set_message(format!("{:.0} rows/s{eta}{warnings}", p.rate));
        }
        JobEvent::Notice { message, .. } => {
            if bar.is_hidden() {
                eprintln!("note: {message}");
            } else {
                bar.println(format!("note: {message}"));
            }
        }
        JobEvent::Status { .. } => {}
    }
}

/// Prints how a job ended: JSON on stdout with `--json`, else a sentence.
pub fn report(app: &App, outcome: &JobOutcome) {
    if app.json {
        match serde_json::to_string_pretty(outcome) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: could not encode the result as JSON: {e}"),
        }
        return;
    }
    let id = outcome.id;
    match outcome.status {
        JobStatus::Completed | JobStatus::CompletedWithErrors => {
            let path = outcome
                .output
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            println!(
                "Wrote {path}: {} rows, {} bytes (job {id})",
                outcome.rows, outcome.bytes
            );
            if let Some(warning) = &outcome.error {
                eprintln!("warning: {warning}");
            }
        }
        JobStatus::Cancelled | JobStatus::Interrupted => {
            eprintln!(
                "Stopped after {} rows (job {id} is {}); continue with `roster jobs resume {id}`{}",
                outcome.rows,
                outcome.status,
                if outcome.status == JobStatus::Cancelled {
                    " or throw it away with `roster jobs delete --with-files`"
                } else {
                    ""
                }
            );
        }
        JobStatus::Failed => {
            eprintln!(
                "error: {}\nThe job ({id}) stopped after {} rows; fix the cause, then `roster jobs resume {id}` continues where it stopped.",
                outcome.error.as_deref().unwrap_or("the job failed"),
                outcome.rows
            );
        }
        JobStatus::Queued | JobStatus::Running => eprintln!("job {id} is {}", outcome.status),
    }
}
