//! One column's distinct values, interned: every cell of a column is a `u32` code into its
//! dictionary. A million-row column of a few hundred departments costs 4 bytes a row plus the
//! departments once; a column of unique ids costs its text once plus 12 bytes a row. Code 0 is
//! always the empty cell, so "filled" is "code != 0".

use hashbrown::DefaultHashBuilder;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// The distinct values of one column, each with a code (its position).
#[derive(Default)]
pub struct Dictionary {
    /// All values' bytes, back to back (UTF-8).
    text: Vec<u8>,
    /// End offset in `text` of each value; value `i` spans `ends[i-1]..ends[i]` (`0..ends[0]`).
    ends: Vec<u64>,
    /// Codes by value, for interning; dropped by [`Dictionary::freeze`].
    lookup: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Dictionary {
    /// An empty dictionary holding only the empty value (code 0).
    pub fn new() -> Self {
        let mut dictionary = Self::default();
        dictionary.intern("");
        dictionary
    }

    /// The code of `value`, adding it when new.
    pub fn intern(&mut self, value: &str) -> u32 {
        let hash = self.hasher.hash_one(value);
        let Self {
            text, ends, lookup, ..
        } = self;
        let found = lookup.find(hash, |&code| slice(text, ends, code) == value.as_bytes());
        if let Some(&code) = found {
            return code;
        }
        let code = u32::try_from(ends.len()).unwrap_or(u32::MAX);
        text.extend_from_slice(value.as_bytes());
        ends.push(text.len() as u64);
        let hasher = &self.hasher;
        lookup.insert_unique(hash, code, |&c| {
            hasher.hash_one(std::str::from_utf8(slice(text, ends, c)).unwrap_or_default())
        });
        code
    }

    /// Releases the interning table once the column is read (the codes stay valid).
    pub fn freeze(&mut self) {
        self.lookup = HashTable::new();
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// The value of `code`.
    pub fn get(&self, code: u32) -> &str {
        std::str::from_utf8(slice(&self.text, &self.ends, code)).unwrap_or_default()
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
        self.text.capacity() + self.ends.capacity() * 8 + self.lookup.capacity() * 5
    }
}

fn slice<'a>(text: &'a [u8], ends: &[u64], code: u32) -> &'a [u8] {
    let code = code as usize;
    let end = ends.get(code).copied().unwrap_or(0) as usize;
    let start = if code == 0 {
        0
    } else {
        ends[code - 1] as usize
    };
    &text[start..end]
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
    fn many_values_survive_table_growth() {
        let mut d = Dictionary::new();
        let codes: Vec<u32> = (0..50_000).map(|i| d.intern(&format!("v{i}"))).collect();
        for (i, code) in codes.iter().enumerate() {
            assert_eq!(d.get(*code), format!("v{i}"));
            assert_eq!(d.intern(&format!("v{i}")), *code);
        }
    }
}
