//! A download read as several slices at once ([`crate::slices`]): users by `userPrincipalName`,
//! groups by `displayName`. Each slice writes its own partial file (`users.csv.<job>.s<N>.part`)
//! and is checkpointed after every page, so a resumed job continues every slice where it stopped;
//! when all are read they are joined, in range order, behind the header, and the slices' rows are
//! checked against their planned counts.
//!
//! The output order is stable: slices in range order (digits, then letters), within a slice the
//! order Graph lists them in. The same tenant gives the same file.

use crate::JobError;
use crate::context::JobContext;
use crate::sink::{Sink, writer_options};
use crate::slices::{self, KeyRange, NoSlices, PlannedSlice, Sliced};
use crate::work::Finished;
use futures::{StreamExt, TryStreamExt};
use roster_core::job::CsvOutput;
use roster_core::text::Text;
use roster_csv::{CsvWriter, WriteCheckpoint, WriteError, WriterOptions, job_slice_path};
use roster_graph::{Continuation, ListQuery};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How a sliced download turns a page of its collection into rows.
pub(crate) trait SliceRows: Sync {
    /// Writes the rows of one page of the slice over `range` to `writer`, returning how many.
    fn write_page(
        &self,
        body: &[u8],
        range: &KeyRange,
        writer: &mut CsvWriter,
    ) -> Result<u64, JobError>;
}

/// A download read in slices: what it slices, how its rows are read, its query (the person's
/// filter, `$select`, `$top`), its file, and how many slices it reads at once.
pub(crate) struct SlicedDownload<'a, R> {
    /// The collection and property sliced.
    pub what: &'static Sliced,
    /// Turns pages into rows.
    pub rows: &'a R,
    /// The query every slice narrows.
    pub query: &'a ListQuery,
    /// The file.
    pub output: &'a CsvOutput,
    /// `--parallel`: `None` lets the client's limiter choose.
    pub parallel: Option<u32>,
}

/// What a slice's reader tells the task that records the download.
enum Report {
    /// The slice at this position read a page and is now as given.
    Page(usize, SliceState),
    /// A reader waits for the pace.
    Waiting,
}

/// One slice being read (boxed: the readers run together in one task).
type SliceRead<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), JobError>> + Send + 'a>>;

/// The most slices planned when the download does not say how many to read at once. How many of
/// them have a page in flight is then the client's [`roster_graph::ConcurrencyLimiter`]'s choice:
/// it starts at 8, adds one as pages come back without throttling pressure, and halves on a 429 or
/// backs off when `x-ms-throttle-limit-percentage` reaches 0.9, so the parallelism follows Graph's
/// throttling headers rather than a fixed number.
const ADAPTIVE_READERS: u64 = 32;

/// Pages each reader should have at least: fewer, and the planning's `$count`s cost more than the
/// parallel reading saves.
const PAGES_PER_READER: u64 = 4;

/// Objects below which a download is read as one chain unless `--parallel` asks otherwise: ten
/// pages or fewer gain little from slicing and cost the planning's `$count` requests.
const AUTOMATIC_FROM: u64 = 10_000;

/// The round trip of the first request (the whole's `$count`) below which a download is read as
/// one chain unless `--parallel` asks otherwise: when Graph answers that fast, the client, not the
/// chain of pages, is the bound, and slices only add their `$count`s and the joining.
const SLOW_ANSWER: std::time::Duration = std::time::Duration::from_millis(100);

/// One slice of a download and how far it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SliceState {
    /// Its range of the sliced property.
    pub range: KeyRange,
    /// Objects Graph counted in it when the download was planned.
    pub counted: u64,
    /// The next page to read; `None` before the first page and after the last.
    pub next: Option<Continuation>,
    /// Every page read.
    pub done: bool,
    /// How far its partial file is complete.
    pub write: WriteCheckpoint,
    /// Rows written to it.
    pub rows: u64,
}

impl SliceState {
    fn planned(slice: PlannedSlice) -> Self {
        Self {
            range: slice.range,
            counted: slice.counted,
            next: None,
            done: false,
            write: WriteCheckpoint::default(),
            rows: 0,
        }
    }
}

/// Plans the slices of a new download, or `None` to read one chain (too few objects, or slices
/// whose counts do not add up: said in a notice).
pub(crate) async fn plan(
    ctx: &JobContext,
    what: &Sliced,
    query: &ListQuery,
    parallel: Option<u32>,
    sink: &mut Sink,
) -> Result<Option<Vec<SliceState>>, JobError> {
    if parallel.is_some_and(|n| n < 2) {
        return Ok(None);
    }
    let asked = std::time::Instant::now();
    let whole = ctx.or_cancel(ctx.client.count(what.path, query)).await??;
    let round_trip = asked.elapsed();
    sink.set_total(Some(whole));
    let page = u64::from(query.top.unwrap_or(999));
    let worth_it = match parallel {
        None => whole >= AUTOMATIC_FROM && round_trip >= SLOW_ANSWER,
        Some(_) => whole >= page * 2,
    };
    if !worth_it {
        return Ok(None);
    }
    let readers = parallel.map_or_else(
        || (whole.div_ceil(page) / PAGES_PER_READER).clamp(2, ADAPTIVE_READERS),
        u64::from,
    );
    match slices::plan(ctx, what, query, whole, readers).await? {
        Ok(planned) => Ok(Some(planned.into_iter().map(SliceState::planned).collect())),
        Err(NoSlices::Small) => Ok(None),
        Err(NoSlices::Inexact { whole, sum }) => {
            let (property, noun) = (what.property, what.noun);
            ctx.notice(
                Text::new(
                    what.inexact_code,
                    format!(
                        "the {property} ranges counted {sum} {noun} where the whole counted {whole}; reading one chain of pages instead"
                    ),
                )
                .with("sum", sum)
                .with("whole", whole),
            );
            Ok(None)
        }
    }
}

/// Reads every slice not yet done, `parallel` at once (unsaid: as many as the client's limiter lets
/// through), then joins them into the file; `position` is the download's checkpoint of the slices.
pub(crate) async fn run<R: SliceRows, P: Serialize>(
    ctx: &JobContext,
    download: SlicedDownload<'_, R>,
    mut slices: Vec<SliceState>,
    position: impl Fn(Vec<SliceState>) -> P,
    mut sink: Sink,
) -> Result<Finished, JobError> {
    let SlicedDownload {
        what,
        rows,
        query,
        output,
        parallel,
    } = download;
    let options = WriterOptions {
        bom: false,
        ..writer_options(output)
    };
    let job = ctx.id.to_string();
    let parts: Vec<PathBuf> = (0..slices.len())
        .map(|k| job_slice_path(&output.path, &job, k))
        .collect();
    sink.commit(ctx, &position(slices.clone())).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Report>();
    // Unsaid, every slice may read: the client's limiter decides how many pages are in flight.
    let readers = parallel.map_or(slices.len(), |n| n.max(1) as usize);
    let work: Vec<SliceRead<'_>> = slices
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.done)
        .map(|(k, s)| {
            let tx = tx.clone();
            let report = move |r: Option<SliceState>| {
                let _ = tx.send(r.map_or(Report::Waiting, |s| Report::Page(k, s)));
            };
            let source = SliceSource { what, rows, query };
            Box::pin(read_slice(
                ctx,
                source,
                &parts[k],
                s.clone(),
                options,
                report,
            )) as SliceRead<'_>
        })
        .collect();
    drop(tx);
    let reading = futures::stream::iter(work)
        .buffer_unordered(readers)
        .try_collect::<Vec<()>>();
    let recording = async {
        while let Some(report) = rx.recv().await {
            let Report::Page(k, state) = report else {
                // A reader waits for the pace: let subscribers see where the job stands first.
                sink.emit_progress(ctx, true);
                continue;
            };
            slices[k] = state;
            sink.set_rows(slices.iter().map(|s| s.rows).sum());
            sink.commit(ctx, &position(slices.clone())).await?;
        }
        Ok::<_, JobError>(())
    };
    tokio::try_join!(reading, recording)?;
    for (slice, part) in slices.iter().zip(&parts) {
        sink.append_slice(part, slice.rows)?;
    }
    check_counts(ctx, what, &slices);
    let finished = sink.finish(ctx)?;
    for part in &parts {
        let _ = std::fs::remove_file(part);
    }
    Ok(finished)
}

/// Says so when a slice gave another number of objects than Graph counted in it when planned (the
/// directory changed while it was read): each slice was still read whole, once.
fn check_counts(ctx: &JobContext, what: &Sliced, slices: &[SliceState]) {
    let counted: u64 = slices.iter().map(|s| s.counted).sum();
    let read: u64 = slices.iter().map(|s| s.rows).sum();
    if counted != read {
        let noun = what.noun;
        ctx.notice(
            Text::new(
                what.changed_code,
                format!(
                    "Graph counted {counted} {noun} when the download started and {read} were read: {noun} were added or deleted meanwhile"
                ),
            )
            .with("counted", counted)
            .with("read", read),
        );
    }
}

/// Where a slice's pages come from and how they become rows.
struct SliceSource<'a, R> {
    what: &'static Sliced,
    rows: &'a R,
    query: &'a ListQuery,
}

/// Reads one slice to its end into `part`, reporting its state after every page (and `None`
/// before it waits for the pace).
async fn read_slice<R: SliceRows>(
    ctx: &JobContext,
    source: SliceSource<'_, R>,
    part: &std::path::Path,
    mut state: SliceState,
    options: WriterOptions,
    report: impl Fn(Option<SliceState>) + Send,
) -> Result<(), JobError> {
    let mut writer = open_part(part, &mut state, options)?;
    let mut pager = match &state.next {
        Some(c) => ctx.client.resume(&ctx.rebase(c.clone())),
        None => (source.what.list)(
            &ctx.client,
            &state.range.narrow(source.query, source.what.property),
        )?,
    };
    loop {
        ctx.take_turn(|| report(None)).await?;
        let Some(page) = ctx.or_cancel(pager.next_raw_page()).await? else {
            break;
        };
        let page = page?;
        state.rows += source
            .rows
            .write_page(&page.body, &state.range, &mut writer)?;
        state.write = writer.checkpoint()?;
        state.next = pager.continuation();
        report(Some(state.clone()));
    }
    state.done = true;
    state.next = None;
    report(Some(state));
    Ok(())
}

/// The slice's partial file: new for a slice not started, else cut back to its checkpoint (a file
/// changed by something else starts the slice over).
fn open_part(
    part: &std::path::Path,
    state: &mut SliceState,
    options: WriterOptions,
) -> Result<CsvWriter, JobError> {
    if state.next.is_some() {
        match CsvWriter::resume_part(part, part, options, state.write) {
            Ok(writer) => return Ok(writer),
            Err(WriteError::PartChanged { .. } | WriteError::PartTooShort { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    *state = SliceState::planned(PlannedSlice {
        range: state.range.clone(),
        counted: state.counted,
    });
    match std::fs::remove_file(part) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(WriteError::Io {
                action: "replace",
                path: part.to_owned(),
                source: e,
            }
            .into());
        }
        _ => {}
    }
    Ok(CsvWriter::create_new(part, part, options)?)
}
