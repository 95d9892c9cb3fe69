//! Running membership jobs through the one runner, as the CLI and the app do, and reading back
//! what a run left: the report and every row's state from the results file.

use roster_core::job::JobId;
use roster_graph::GraphClient;
use roster_jobs::membership::{
    EngineConfig, JobReport, MembershipJob, MembershipSpec, Preview, RowState,
};
use roster_jobs::{JobOutcome, JobWork, Runner, RunnerConfig};
use roster_store::Store;
use std::sync::Arc;

/// A runner over `store` with the default settings.
pub fn runner(store: &Arc<Store>) -> Runner {
    Runner::new(Arc::clone(store), RunnerConfig::default())
}

/// Runs the job applying `p` for `spec` to its end: a new job, or stopped job `resume` going on.
/// A completed run gives its report, and `p` is updated to the states and reasons the results
/// file records; any other end gives the runner's outcome (failed, cancelled, crashed).
pub async fn run_membership(
    runner: &Runner,
    client: &GraphClient,
    resume: Option<JobId>,
    spec: &MembershipSpec,
    p: &mut Preview,
    engine: EngineConfig,
) -> (JobId, Result<JobReport, JobOutcome>) {
    let work = MembershipJob::with_preview(spec.clone(), p.clone()).engine(engine);
    let id = match resume {
        Some(id) => {
            let work: Box<dyn JobWork> = Box::new(work);
            runner
                .resume_with(id, work, client.clone())
                .expect("resume");
            id
        }
        None => runner.submit(work, client.clone()).expect("submit"),
    };
    let outcome = runner.wait(id).await.expect("wait");
    match &outcome.report {
        Some(report) => {
            let report: JobReport = serde_json::from_value(report.clone()).expect("report");
            read_back(p, &report);
            (id, Ok(report))
        }
        None => (id, Err(outcome)),
    }
}

/// Sets every row of `p` to the state and reason the report's results file gives it.
fn read_back(p: &mut Preview, report: &JobReport) {
    let mut reader = csv::ReaderBuilder::new()
        .from_path(&report.results)
        .expect("results file");
    for record in reader.records() {
        let record = record.expect("results row");
        let line: u64 = record[0]
            .trim_start_matches('\u{feff}')
            .parse()
            .expect("line");
        let state: RowState =
            serde_json::from_value(serde_json::Value::String(record[6].to_owned())).expect("state");
        let row = p
            .rows
            .iter_mut()
            .find(|r| r.line == line)
            .expect("row of the file");
        row.state = state;
        row.reason = roster_core::text::Text::plain(&record[7]);
    }
    p.counts = report.counts;
}
