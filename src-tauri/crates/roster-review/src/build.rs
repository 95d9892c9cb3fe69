//! Filling a table's columns on two threads: the reading thread parses records into batches and
//! hands each batch to a second thread; each thread interns its own share of the columns, so no
//! dictionary is shared and nothing is locked. With the machine's two cores this halves the time
//! of indexing a wide file.

use crate::table::{Column, ReadFailure};
use csv::ByteRecord;
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

/// Records handed over at a time.
pub(crate) const BATCH: usize = 4096;

/// A column being filled from record field `field`.
pub(crate) struct Pending {
    /// The field's position in a record.
    pub field: usize,
    /// The column.
    pub column: Column,
}

/// Fills `pending` from the batches `next_batch` reads (it fills the vector it is given, reusing
/// its records' buffers, and returns how many it read, 0 at the end of the file, and the text
/// bytes read so far); returns the columns in their given order. `text_bytes` is the expected
/// size of the whole text, to reserve the columns' memory once instead of growing it.
pub(crate) fn fill_columns(
    pending: Vec<Pending>,
    text_bytes: u64,
    mut next_batch: impl FnMut(&mut Vec<ByteRecord>) -> Result<(usize, u64), ReadFailure>,
) -> Result<Vec<Column>, ReadFailure> {
    let mut columns: Vec<(usize, Pending)> = pending.into_iter().enumerate().collect();
    // The first batch is read and indexed on this thread alone, timing each column, so that the
    // rest can be shared by cost: the reading thread takes less, since it also parses.
    let mut first = Vec::with_capacity(BATCH);
    let started = Instant::now();
    let (read, bytes_read) = next_batch(&mut first)?;
    let parse_cost = started.elapsed();
    let mut costs = Vec::with_capacity(columns.len());
    let scale = text_bytes as f64 / bytes_read.max(1) as f64;
    for (_, pending) in &mut columns {
        let started = Instant::now();
        fill_one(pending, &first)?;
        if read == BATCH {
            pending.column.reserve_scaled(scale);
            // Mostly distinct after a full batch: defer the lookups (see Dictionary::defer).
            if pending.column.dictionary.len() * 2 > read {
                pending.column.dictionary.defer();
            }
        }
        costs.push(started.elapsed());
    }
    if read < BATCH || columns.len() < 2 {
        while next_batch(&mut first)?.0 > 0 {
            fill(&mut columns, &first)?;
        }
        finish(&mut columns)?;
        return Ok(columns.into_iter().map(|(_, p)| p.column).collect());
    }
    let (mut mine, mut theirs) = share(columns, &costs, parse_cost);
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Arc<Vec<ByteRecord>>>(4);
        let worker = scope.spawn(move || {
            for batch in rx {
                fill(&mut theirs, &batch)?;
            }
            Ok::<_, ReadFailure>(theirs)
        });
        let mut tx = Some(tx);
        // Batches both threads are done with are reused: their records keep their buffers.
        let mut in_flight: VecDeque<Arc<Vec<ByteRecord>>> = VecDeque::new();
        let read = (|| loop {
            let mut records = match in_flight.front().map(Arc::strong_count) {
                Some(1) => in_flight
                    .pop_front()
                    .and_then(|a| Arc::try_unwrap(a).ok())
                    .unwrap_or_default(),
                _ => Vec::with_capacity(BATCH),
            };
            if next_batch(&mut records)?.0 == 0 {
                return Ok::<_, ReadFailure>(());
            }
            let batch = Arc::new(records);
            if let Some(sender) = &tx
                && sender.send(Arc::clone(&batch)).is_err()
            {
                // The other thread stopped on an error; it is reported below.
                tx = None;
                return Ok(());
            }
            fill(&mut mine, &batch)?;
            in_flight.push_back(batch);
            if in_flight.len() > 8 {
                in_flight.pop_front();
            }
        })();
        drop(tx);
        let theirs = worker.join().unwrap_or(Err(ReadFailure::Crashed))?;
        read?;
        let mut all: Vec<(usize, Pending)> = mine.into_iter().chain(theirs).collect();
        finish_on_two_threads(&mut all)?;
        all.sort_by_key(|(i, _)| *i);
        Ok(all.into_iter().map(|(_, p)| p.column).collect())
    })
}

/// Splits the columns between the reading thread (which also parses) and the other one so that
/// their measured costs are about equal.
#[allow(clippy::type_complexity)]
fn share(
    columns: Vec<(usize, Pending)>,
    costs: &[Duration],
    parse_cost: Duration,
) -> (Vec<(usize, Pending)>, Vec<(usize, Pending)>) {
    split_by_cost(costs.iter().copied().zip(columns), parse_cost)
}

/// Splits `items` in two halves of about equal cost, the most costly first, each to the half with
/// less so far; the first half starts with `head_start` (work it does besides).
fn split_by_cost<C, T>(items: impl IntoIterator<Item = (C, T)>, head_start: C) -> (Vec<T>, Vec<T>)
where
    C: Ord + Copy + Default + std::ops::AddAssign,
{
    let mut by_cost: Vec<(C, T)> = items.into_iter().collect();
    by_cost.sort_by_key(|(cost, _)| std::cmp::Reverse(*cost));
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let (mut first_load, mut second_load) = (head_start, C::default());
    for (cost, item) in by_cost {
        if first_load <= second_load {
            first_load += cost;
            first.push(item);
        } else {
            second_load += cost;
            second.push(item);
        }
    }
    (first, second)
}

/// Settles and merges the columns like [`finish`], shared between this thread and another by
/// their size (the merge costs about the same per value in every column).
fn finish_on_two_threads(columns: &mut [(usize, Pending)]) -> Result<(), ReadFailure> {
    let (mine, theirs) = split_by_cost(
        columns
            .iter_mut()
            .map(|column| (column.1.column.dictionary.deferred_len(), column)),
        0,
    );
    std::thread::scope(|scope| {
        let other = scope.spawn(move || theirs.into_iter().try_for_each(finish_one));
        let mine = mine.into_iter().try_for_each(finish_one);
        other.join().unwrap_or(Err(ReadFailure::Crashed)).and(mine)
    })
}

/// Settles every column (its values checked for UTF-8 at once) and merges the repeats of
/// deferred columns (see `Dictionary::finish`).
fn finish(columns: &mut [(usize, Pending)]) -> Result<(), ReadFailure> {
    columns.iter_mut().try_for_each(finish_one)
}

fn finish_one((_, pending): &mut (usize, Pending)) -> Result<(), ReadFailure> {
    let column = &mut pending.column;
    if !column.dictionary.settle() {
        return Err(ReadFailure::NotUtf8);
    }
    let Some(remap) = column.dictionary.finish() else {
        return Ok(());
    };
    for code in &mut column.codes {
        *code = remap[*code as usize];
    }
    if let Some(counts) = &mut column.counts {
        let mut merged = vec![0; counts.len()];
        for (code, &count) in counts.iter().enumerate() {
            merged[remap[code] as usize] += count;
        }
        *counts = merged;
    }
    Ok(())
}

fn fill(columns: &mut [(usize, Pending)], batch: &[ByteRecord]) -> Result<(), ReadFailure> {
    for (_, pending) in columns.iter_mut() {
        fill_one(pending, batch)?;
    }
    Ok(())
}

/// Interns the column's cells of `batch`; a new value that is not UTF-8 stops the read (the file
/// is then read again as Windows-1252).
fn fill_one(pending: &mut Pending, batch: &[ByteRecord]) -> Result<(), ReadFailure> {
    let column = &mut pending.column;
    let cells = batch
        .iter()
        .map(|record| record.get(pending.field).unwrap_or_default());
    if let Some(counts) = &mut column.counts {
        for cell in cells {
            let code = column.dictionary.intern_cell(cell) as usize;
            if code >= counts.len() {
                counts.resize(code + 1, 0);
            }
            counts[code] += 1;
        }
    } else {
        column.codes.reserve(batch.len());
        for cell in cells {
            column.codes.push(column.dictionary.intern_cell(cell));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::split_by_cost;

    #[test]
    fn costs_are_shared_evenly_the_largest_first() {
        let (a, b) = split_by_cost([(5, 'a'), (1, 'b'), (4, 'c'), (3, 'd'), (3, 'e')], 0);
        assert_eq!((a, b), (vec!['a', 'e'], vec!['c', 'd', 'b']), "8 and 8");
        let (a, b) = split_by_cost([(2, 'x'), (2, 'y')], 10);
        assert_eq!((a, b), (vec![], vec!['x', 'y']), "a head start takes less");
    }
}
