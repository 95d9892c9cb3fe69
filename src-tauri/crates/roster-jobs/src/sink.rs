//! The CSV side of a running download: rows go to the writer, and after every page the writer's
//! byte checkpoint, the counters and the listing position are saved together, so a resumed job
//! cuts the `.part` file back to the last saved page and continues from the same position.

use crate::JobError;
use crate::context::JobContext;
use crate::event::{Progress, rate_and_eta};
use crate::work::Finished;
use roster_core::job::{CsvDelimiter, CsvFormulaGuard, CsvOutput, JobId};
use roster_core::text::Text;
use roster_csv::{CsvWriter, Delimiter, FormulaGuard, WriteCheckpoint, WriterOptions};
use roster_store::JobCounts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// What is stored after every page: enough to resume and end with an identical file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Checkpoint {
    /// How far the `.part` file is complete.
    pub write: WriteCheckpoint,
    /// Rows written (header excluded).
    pub rows: u64,
    /// Pages processed.
    pub pages: u64,
    /// Objects that could not be read.
    pub warnings: u64,
    /// Rows expected, when known.
    pub total: Option<u64>,
    /// The first warnings, in words (kept short).
    #[serde(default)]
    pub warning_notes: Vec<String>,
    /// Where the listing is, in the job kind's own terms.
    pub position: serde_json::Value,
}

const MAX_NOTES: usize = 20;

impl JobContext {
    /// Waits for permission to fetch the next page (when paced) or for a cancel.
    pub(crate) async fn next_step(&self, sink: &mut Sink) -> Result<(), JobError> {
        // About to wait: let subscribers see where the job stands first.
        self.take_turn(|| sink.emit_progress(self, true)).await
    }

    /// Like [`JobContext::next_step`] for a reader without the sink (a slice of a download):
    /// `before_waiting` runs when the page has to wait for the pace.
    pub(crate) async fn take_turn(&self, before_waiting: impl FnOnce()) -> Result<(), JobError> {
        if self.cancel.is_cancelled() {
            return Err(JobError::Cancelled);
        }
        let Some(pace) = &self.pace else {
            return Ok(());
        };
        let permit = match pace.try_acquire() {
            Ok(p) => p,
            Err(_) => {
                before_waiting();
                tokio::select! {
                    () = self.cancel.cancelled() => return Err(JobError::Cancelled),
                    p = pace.acquire() => p.map_err(|_| JobError::Cancelled)?,
                }
            }
        };
        permit.forget();
        Ok(())
    }
}

/// The writer plus counters of one download.
pub(crate) struct Sink {
    writer: CsvWriter,
    rows: u64,
    pages: u64,
    warnings: u64,
    total: Option<u64>,
    notes: Vec<String>,
    started: Instant,
    rows_at_start: u64,
}

/// Maps the spec's CSV options to the writer's.
pub(crate) fn writer_options(output: &CsvOutput) -> WriterOptions {
    WriterOptions {
        bom: output.bom,
        delimiter: match output.delimiter {
            CsvDelimiter::Comma => Delimiter::Comma,
            CsvDelimiter::Semicolon => Delimiter::Semicolon,
            CsvDelimiter::Tab => Delimiter::Tab,
        },
        formula_guard: match output.formula_guard {
            CsvFormulaGuard::Standard => FormulaGuard::Standard,
            CsvFormulaGuard::Strict => FormulaGuard::Strict,
            CsvFormulaGuard::Off => FormulaGuard::Off,
        },
    }
}

impl Sink {
    /// Opens the output: resumes the `.part` file from `checkpoint`, or starts a new one with
    /// `header`. Returns the sink and the stored position (if resuming).
    ///
    /// The partial file is the job's own (`users.csv.<job>.part`), created exclusively; a
    /// partial file whose bytes are not the ones checkpointed (changed by something else) is
    /// discarded and the download starts over, with a notice.
    pub fn open<P: DeserializeOwned>(
        ctx: &JobContext,
        output: &CsvOutput,
        header: &[String],
        checkpoint: Option<Checkpoint>,
    ) -> Result<(Self, Option<P>), JobError> {
        let options = writer_options(output);
        let part = part_of(ctx.id, output);
        if let Some(parent) = output.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| roster_csv::WriteError::Io {
                action: "create the folder",
                path: parent.to_owned(),
                source,
            })?;
        }
        if let Some(cp) = checkpoint {
            let position: P = serde_json::from_value(cp.position.clone()).map_err(|e| {
                JobError::Input(format!(
                    "the job's checkpoint cannot be read ({e}); delete the job and start the download again"
                ))
            })?;
            let writer = match CsvWriter::resume_part(&output.path, &part, options, cp.write) {
                Ok(writer) => writer,
                Err(roster_csv::WriteError::PartChanged { .. }) => {
                    ctx.notice(
                        Text::new(
                            "download.notice.partialFileChanged",
                            format!(
                                "the partial file {} was changed by something else; starting the download from the beginning",
                                part.display()
                            ),
                        )
                        .with("file", part.display()),
                    );
                    return Self::start(&part, output, header).map(|sink| (sink, None));
                }
                Err(e) => return Err(e.into()),
            };
            let sink = Self {
                writer,
                rows: cp.rows,
                pages: cp.pages,
                warnings: cp.warnings,
                total: cp.total,
                notes: cp.warning_notes,
                started: Instant::now(),
                rows_at_start: cp.rows,
            };
            return Ok((sink, Some(position)));
        }
        Self::start(&part, output, header).map(|sink| (sink, None))
    }

    /// A new file with `header`, through the job's partial file `part` (a leftover of this
    /// job's own earlier run is replaced).
    fn start(
        part: &std::path::Path,
        output: &CsvOutput,
        header: &[String],
    ) -> Result<Self, JobError> {
        match std::fs::remove_file(part) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(roster_csv::WriteError::Io {
                    action: "replace",
                    path: part.to_owned(),
                    source: e,
                }
                .into());
            }
            _ => {}
        }
        let mut writer = CsvWriter::create_new(&output.path, part, writer_options(output))?;
        writer.write_record(header)?;
        let sink = Self {
            writer,
            rows: 0,
            pages: 0,
            warnings: 0,
            total: None,
            notes: Vec::new(),
            started: Instant::now(),
            rows_at_start: 0,
        };
        Ok(sink)
    }

    /// Writes one row.
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), JobError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.writer.write_record(cells)?;
        self.rows += 1;
        Ok(())
    }

    /// Sets the rows written (a sliced download counts them in its slices' files).
    pub fn set_rows(&mut self, rows: u64) {
        self.rows = rows;
    }

    /// Appends a slice's partial file of `rows` rows (already counted with [`Sink::set_rows`]).
    pub fn append_slice(&mut self, part: &std::path::Path, rows: u64) -> Result<(), JobError> {
        Ok(self.writer.append_part(part, rows)?)
    }

    /// Records an object that could not be read.
    pub fn warn(&mut self, note: impl Into<String>) {
        self.warnings += 1;
        if self.notes.len() < MAX_NOTES {
            self.notes.push(note.into());
        }
    }

    /// Sets the expected row count.
    pub fn set_total(&mut self, total: Option<u64>) {
        if total.is_some() {
            self.total = total;
        }
    }

    /// The expected row count, when known.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Ends a page: fsyncs the file, saves the checkpoint with `position`, emits progress, and
    /// stops when the job was cancelled.
    pub async fn commit<P: Serialize>(
        &mut self,
        ctx: &JobContext,
        position: &P,
    ) -> Result<(), JobError> {
        self.pages += 1;
        let checkpoint = Checkpoint {
            write: self.writer.checkpoint()?,
            rows: self.rows,
            pages: self.pages,
            warnings: self.warnings,
            total: self.total,
            warning_notes: self.notes.clone(),
            position: serde_json::to_value(position)
                .map_err(|e| JobError::Internal(format!("could not encode a checkpoint ({e})")))?,
        };
        let counts = self.counts();
        let id = ctx.id;
        ctx.store(move |s| {
            s.save_checkpoint(id, &checkpoint)?;
            s.update_job(
                id,
                &roster_store::JobUpdate {
                    counts: Some(counts),
                    ..Default::default()
                },
            )
        })
        .await?;
        self.emit_progress(ctx, false);
        // A cancel here or (through the runner's status watcher) from another process.
        if ctx.cancel.is_cancelled() {
            return Err(JobError::Cancelled);
        }
        Ok(())
    }

    /// Sends a progress event when the coalescer allows it (or always when `force`).
    pub fn emit_progress(&self, ctx: &JobContext, force: bool) {
        ctx.report_progress(force, |now| self.progress(ctx.id, now));
    }

    fn progress(&self, id: JobId, now: Instant) -> Progress {
        let (rate, eta_secs) = rate_and_eta(
            self.rows - self.rows_at_start,
            now.saturating_duration_since(self.started),
            self.rows,
            self.total,
        );
        Progress {
            id,
            items: self.rows,
            pages: self.pages,
            total: self.total,
            rate,
            eta_secs,
            warnings: self.warnings,
            bytes: self.writer.bytes_written(),
        }
    }

    /// The store counters: rows written as succeeded, warnings as failed.
    pub fn counts(&self) -> JobCounts {
        JobCounts {
            total: self.total,
            done: self.rows + self.warnings,
            succeeded: self.rows,
            failed: self.warnings,
            skipped: 0,
        }
    }

    /// Completes the file (rename from `.part`) and says how it went.
    pub fn finish(self, ctx: &JobContext) -> Result<Finished, JobError> {
        self.emit_progress(ctx, true);
        let counts = self.counts();
        let bytes = self.writer.bytes_written();
        let notes = self.notes.clone();
        let warnings = self.warnings;
        let rows = self.rows;
        let path = self.writer.finish()?;
        let summary = (warnings > 0).then(|| {
            let mut text = format!("{warnings} requested object(s) could not be read");
            if !notes.is_empty() {
                text.push_str(": ");
                text.push_str(&notes.join("; "));
            }
            Text::new("job.note.unreadObjects", text)
                .with("count", warnings)
                .with("notes", notes.join("; "))
        });
        Ok(Finished {
            output: Some(path),
            rows,
            bytes,
            warnings,
            summary,
            counts,
            report: None,
        })
    }
}

/// Job `id`'s partial file for `output`.
pub(crate) fn part_of(id: JobId, output: &CsvOutput) -> std::path::PathBuf {
    roster_csv::job_part_path(&output.path, &id.to_string())
}

impl JobContext {
    /// The stored checkpoint, when there is one and its `.part` file still exists (otherwise
    /// the download starts over, with a notice).
    pub(crate) async fn checkpoint(
        &self,
        output: &CsvOutput,
    ) -> Result<Option<Checkpoint>, JobError> {
        let id = self.id;
        let stored: Option<Checkpoint> = self.store(move |s| s.load_checkpoint(id)).await?;
        match stored {
            Some(cp) if part_of(id, output).exists() => Ok(Some(cp)),
            Some(_) => {
                let part = part_of(id, output);
                self.notice(
                    Text::new(
                        "download.notice.partialFileGone",
                        format!(
                            "the partial file {} is gone; starting the download from the beginning",
                            part.display()
                        ),
                    )
                    .with("file", part.display()),
                );
                Ok(None)
            }
            None => Ok(None),
        }
    }

    /// A continuation whose nextLink points at this client's service root (a stored link may
    /// name another port of the local emulator, or a host alias).
    pub(crate) fn rebase(
        &self,
        mut continuation: roster_graph::Continuation,
    ) -> roster_graph::Continuation {
        let root = self
            .client
            .version_root()
            .as_str()
            .trim_end_matches('/')
            .to_owned();
        if let Some(at) = continuation.next_link.find("/v1.0/") {
            let tail = continuation.next_link[at + "/v1.0".len()..].to_owned();
            let root_base = root.strip_suffix("/v1.0").unwrap_or(&root);
            continuation.next_link = format!("{root_base}/v1.0{tail}");
        }
        continuation
    }

    /// Page size for a listing whose largest allowed `$top` is `max`.
    pub(crate) fn top(&self, max: u32) -> u32 {
        self.page_size.map_or(max, |p| p.clamp(1, max))
    }
}
