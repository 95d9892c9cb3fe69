//! One column's distinct values, interned: every cell of a column is a `u32` code into its
//! dictionary. A million-row column of a few hundred departments costs 4 bytes a row plus the
//! departments once; a column of unique ids costs its text once plus 12 bytes a row. Code 0 is
//! always the empty cell, so "filled" is "code != 0".
//!
//! A column found to be mostly distinct (ids, addresses, timestamps) is better not looked up
//! cell by cell: every lookup in a table of a million values misses the CPU cache. After
//! [`Dictionary::defer`], values are appended with their hashes, and [`Dictionary::finish`] merges
//! the few repeated ones by sorting the hashes, which costs a fraction of the lookups. A merged
//! value's later copies stay in the text unused: the dictionary's length is then an upper bound,
//! and distinct counts come from the codes in use.
//!
//! A raw dictionary ([`Dictionary::raw`]) skips the interning: every non-empty cell gets a code of
//! its own. It is built at the speed of copying, for work that reads cells but does not count
//! distinct values (comparing snapshots, evaluating rules).

use hashbrown::DefaultHashBuilder;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// A dictionary's values back to back: bytes while the column is read (each new cell appended as
/// read), text once [`Dictionary::settle`] has checked, in one pass over the whole column, that it
/// is UTF-8 (a check per value costs more than the interning).
enum Text {
    Bytes(Vec<u8>),
    Checked(String),
}

impl Default for Text {
    fn default() -> Self {
        Self::Bytes(Vec::new())
    }
}

impl Text {
    fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Bytes(bytes) => bytes,
            Self::Checked(text) => text.as_bytes(),
        }
    }

    fn push(&mut self, value: &[u8]) {
        match self {
            Self::Bytes(bytes) => bytes.extend_from_slice(value),
            Self::Checked(text) => {
                let mut bytes = std::mem::take(text).into_bytes();
                bytes.extend_from_slice(value);
                *self = Self::Bytes(bytes);
            }
        }
    }

    fn reserve(&mut self, more: usize) {
        match self {
            Self::Bytes(bytes) => bytes.reserve(more),
            Self::Checked(text) => text.reserve(more),
        }
    }

    fn shrink_to_fit(&mut self) {
        match self {
            Self::Bytes(bytes) => bytes.shrink_to_fit(),
            Self::Checked(text) => text.shrink_to_fit(),
        }
    }

    fn capacity(&self) -> usize {
        match self {
            Self::Bytes(bytes) => bytes.capacity(),
            Self::Checked(text) => text.capacity(),
        }
    }

    /// The text from `start` to `end` (empty where it is not UTF-8: not yet settled, or refused).
    fn get(&self, start: usize, end: usize) -> &str {
        match self {
            Self::Checked(text) => text.get(start..end).unwrap_or_default(),
            Self::Bytes(bytes) => bytes
                .get(start..end)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
        }
    }
}

/// The distinct values of one column, each with a code (its position).
#[derive(Default)]
pub struct Dictionary {
    /// All values, back to back.
    text: Text,
    /// End offset in `text` of each value; value `i` spans `ends[i-1]..ends[i]` (`0..ends[0]`).
    ends: Vec<u32>,
    /// Set when the column's text outgrew 4 GiB (its later values were not kept).
    overflowed: bool,
    /// (hash, code) by value, for interning; dropped by [`Dictionary::freeze`]. The hash is kept
    /// so that growing the table does not hash every value again.
    lookup: HashTable<(u64, u32)>,
    hasher: DefaultHashBuilder,
    /// Every cell its own code (no interning).
    raw: bool,
    /// Once deferred: every code's hash, for [`Dictionary::finish`].
    deferred: Option<Vec<u64>>,
}

impl Dictionary {
    /// An empty dictionary holding only the empty value (code 0).
    pub fn new() -> Self {
        let mut dictionary = Self::default();
        dictionary.push(b"");
        dictionary
    }

    /// A dictionary that gives every non-empty cell a code of its own (see the module docs).
    pub fn raw() -> Self {
        let mut dictionary = Self::new();
        dictionary.raw = true;
        dictionary
    }

    /// True for a [`Dictionary::raw`] one: its length is not a distinct count.
    pub fn is_raw(&self) -> bool {
        self.raw
    }

    /// From now on, appends values with their hashes instead of looking them up (see the module
    /// docs); [`Dictionary::finish`] merges repeats. No effect on a raw dictionary.
    pub fn defer(&mut self) {
        if self.raw || self.deferred.is_some() {
            return;
        }
        let hashes = (0..self.ends.len() as u32)
            .map(|code| self.hasher.hash_one(self.bytes_of(code)))
            .collect();
        self.deferred = Some(hashes);
        self.lookup = HashTable::new();
    }

    /// Merges the repeated values appended since [`Dictionary::defer`]: returns, when some were,
    /// each code's replacement (apply it to the column's codes).
    pub fn finish(&mut self) -> Option<Vec<u32>> {
        let hashes = self.deferred.take()?;
        let order = by_hash(&hashes);
        let mut remap: Option<Vec<u32>> = None;
        for group in order.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            for (i, &(_, code)) in group.iter().enumerate().skip(1) {
                let value = self.get(code);
                if let Some(&(_, first)) = group[..i].iter().find(|(_, c)| self.get(*c) == value) {
                    let map = remap.get_or_insert_with(|| (0..hashes.len() as u32).collect());
                    map[code as usize] = map[first as usize];
                }
            }
        }
        remap
    }

    /// How many values wait for [`Dictionary::finish`] (0 unless deferred).
    pub fn deferred_len(&self) -> usize {
        self.deferred.as_ref().map_or(0, Vec::len)
    }

    /// The code of `value`, adding it when new.
    pub fn intern(&mut self, value: &str) -> u32 {
        self.intern_cell(value.as_bytes())
    }

    /// The code of the cell `value` as read from a file, adding it when new. Whether the values
    /// are UTF-8 is checked once for the whole column by [`Dictionary::settle`].
    pub fn intern_cell(&mut self, value: &[u8]) -> u32 {
        if value.is_empty() {
            return 0;
        }
        if self.raw {
            return self.push(value);
        }
        if self.deferred.is_some() {
            let hash = self.hasher.hash_one(value);
            let code = self.push(value);
            if let Some(hashes) = &mut self.deferred {
                hashes.push(hash);
            }
            return code;
        }
        let hash = self.hasher.hash_one(value);
        let Self {
            text, ends, lookup, ..
        } = self;
        let found = lookup.find(hash, |&(h, code)| {
            h == hash && byte_slice(text.as_bytes(), ends, code) == value
        });
        if let Some(&(_, code)) = found {
            return code;
        }
        let code = self.push(value);
        self.lookup.insert_unique(hash, (hash, code), |&(h, _)| h);
        code
    }

    /// Checks that the values read are UTF-8, each of them (not only all of them together): one
    /// pass over the column's text. `false` when one is not (the file is then read again as
    /// Windows-1252).
    pub fn settle(&mut self) -> bool {
        let Text::Bytes(bytes) = &mut self.text else {
            return true;
        };
        match String::from_utf8(std::mem::take(bytes)) {
            Ok(text) => {
                let whole = self
                    .ends
                    .iter()
                    .all(|&end| text.is_char_boundary(end as usize));
                self.text = Text::Checked(text);
                whole
            }
            Err(e) => {
                self.text = Text::Bytes(e.into_bytes());
                false
            }
        }
    }

    fn push(&mut self, value: &[u8]) -> u32 {
        let Ok(end) = u32::try_from(self.text.as_bytes().len() + value.len()) else {
            self.overflowed = true;
            return 0;
        };
        let code = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push(value);
        self.ends.push(end);
        code
    }

    fn bytes_of(&self, code: u32) -> &[u8] {
        byte_slice(self.text.as_bytes(), &self.ends, code)
    }

    /// True when the column held more than 4 GiB of text and could not be kept whole.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// For a raw dictionary (whose size grows with the rows), reserves room for `scale` times
    /// what it holds now; an interned one grows with its distinct values and is left alone.
    pub fn reserve_scaled(&mut self, scale: f64) {
        if self.raw {
            let more = |now: usize| ((now as f64) * (scale - 1.0) * 1.02).max(0.0) as usize;
            self.text.reserve(more(self.text.as_bytes().len()));
            self.ends.reserve(more(self.ends.len()));
        }
    }

    /// Releases the interning table once the column is read and settled (the codes stay valid).
    pub fn freeze(&mut self) {
        self.settle();
        self.lookup = HashTable::new();
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// The value of `code` (empty before [`Dictionary::settle`] for a value that is not UTF-8).
    pub fn get(&self, code: u32) -> &str {
        let (start, end) = bounds(&self.ends, code);
        self.text.get(start, end)
    }

    /// How many distinct values (the empty value included).
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when only the empty value is present.
    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    /// Every value with its code, in code order.
    pub fn values(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.ends.len()).map(|i| {
            let code = i as u32;
            (code, self.get(code))
        })
    }

    /// Bytes held (for memory figures).
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4 + self.lookup.capacity() * 13
    }
}

/// Every code but 0 with its hash, ordered by (hash, code) so that equal hashes are adjacent and
/// the first code of a value comes first. A counting sort on the hashes' top bits into buckets of
/// about 16, then each bucket sorted: for a million codes several times faster than one sort.
fn by_hash(hashes: &[u64]) -> Vec<(u64, u32)> {
    let count = hashes.len().saturating_sub(1);
    let bits = (count / 16).max(2).ilog2().min(24);
    let bucket = |hash: u64| (hash >> (64 - bits)) as usize;
    let mut starts = vec![0usize; (1 << bits) + 1];
    for &hash in hashes.iter().skip(1) {
        starts[bucket(hash) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![(0u64, 0u32); count];
    for (code, &hash) in hashes.iter().enumerate().skip(1) {
        let slot = &mut next[bucket(hash)];
        order[*slot] = (hash, code as u32);
        *slot += 1;
    }
    for range in starts.windows(2) {
        order[range[0]..range[1]].sort_unstable();
    }
    order
}

fn bounds(ends: &[u32], code: u32) -> (usize, usize) {
    let code = code as usize;
    let end = ends.get(code).copied().unwrap_or(0) as usize;
    let start = match code {
        0 => 0,
        _ => ends.get(code - 1).copied().unwrap_or(0) as usize,
    };
    (start, end.max(start))
}

fn byte_slice<'a>(text: &'a [u8], ends: &[u32], code: u32) -> &'a [u8] {
    let (start, end) = bounds(ends, code);
    text.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_a_code_and_empty_is_zero() {
        let mut d = Dictionary::new();
        assert_eq!(d.intern(""), 0);
        let sales = d.intern("Sales");
        assert_eq!(d.intern("HR"), sales + 1);
        assert_eq!(d.intern("Sales"), sales);
        assert_eq!(
            d.intern("sales"),
            sales + 2,
            "case matters: values are text"
        );
        d.freeze();
        assert_eq!(d.get(sales), "Sales");
        assert_eq!(d.len(), 4);
        assert_eq!(
            d.values().map(|(_, v)| v).collect::<Vec<_>>(),
            ["", "Sales", "HR", "sales"]
        );
    }

    #[test]
    fn raw_dictionaries_code_every_cell_but_keep_empty_as_zero() {
        let mut d = Dictionary::raw();
        assert_eq!((d.intern("a"), d.intern("a"), d.intern("")), (1, 2, 0));
        assert!(d.is_raw());
    }

    #[test]
    fn deferred_values_are_merged_at_the_end() {
        let mut d = Dictionary::new();
        let a = d.intern("a");
        d.defer();
        let codes = [
            d.intern("b"),
            d.intern("a"),
            d.intern(""),
            d.intern("b"),
            d.intern("c"),
        ];
        let remap = d.finish().unwrap();
        let merged: Vec<u32> = codes.iter().map(|&c| remap[c as usize]).collect();
        assert_eq!(merged[0], merged[3], "both b");
        assert_eq!(merged[1], a, "a keeps its first code");
        assert_eq!(merged[2], 0);
        assert_eq!(d.get(merged[4]), "c");
        let mut unique = Dictionary::new();
        unique.defer();
        unique.intern("x");
        assert!(unique.finish().is_none(), "nothing to merge");
    }

    #[test]
    fn settling_refuses_a_value_that_is_not_utf8_even_when_the_text_is() {
        let mut fine = Dictionary::raw();
        fine.intern_cell("é".as_bytes());
        fine.intern_cell(b"plain");
        assert!(fine.settle());
        assert_eq!(fine.get(1), "é");
        // Half a character in each of two values: together they spell "é".
        let mut split = Dictionary::raw();
        split.intern_cell(&[0xC3]);
        split.intern_cell(&[0xA9]);
        assert!(!split.settle());
        let mut broken = Dictionary::new();
        broken.intern_cell(b"ok");
        broken.intern_cell(&[0xE9, b'x']);
        assert!(!broken.settle());
    }

    #[test]
    fn hash_order_matches_a_full_sort() {
        let hasher = DefaultHashBuilder::default();
        for n in [0usize, 1, 2, 17, 1000, 70_000] {
            let hashes: Vec<u64> = (0..n).map(|i| hasher.hash_one(i % 997)).collect();
            let mut expected: Vec<(u64, u32)> = hashes
                .iter()
                .enumerate()
                .skip(1)
                .map(|(code, &hash)| (hash, code as u32))
                .collect();
            expected.sort_unstable();
            assert_eq!(by_hash(&hashes), expected, "{n} codes");
        }
    }

    #[test]
    fn many_values_survive_table_growth() {
        let mut d = Dictionary::new();
        let codes: Vec<u32> = (0..50_000).map(|i| d.intern(&format!("v{i}"))).collect();
        for (i, code) in codes.iter().enumerate() {
            assert_eq!(d.get(*code), format!("v{i}"));
            assert_eq!(d.intern(&format!("v{i}")), *code);
        }
    }
}
