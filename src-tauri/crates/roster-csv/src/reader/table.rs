//! A small RFC 4180 reader that keeps blank lines and the physical line of every record (the
//! `csv` crate drops blank lines, and we must report them), plus delimiter sniffing.

use super::ReadError;
use super::limits::MAX_COLUMNS;
use serde::Serialize;
use std::iter::Peekable;
use std::str::Chars;

/// A field separator found in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum InputDelimiter {
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// Tab.
    Tab,
}

impl InputDelimiter {
    fn char(self) -> char {
        match self {
            Self::Comma => ',',
            Self::Semicolon => ';',
            Self::Tab => '\t',
        }
    }
}

/// One record: its 1-based starting line and its fields (a blank line is one empty field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Picks the delimiter that occurs most (outside quotes) in the first lines; a file without any
/// (one column) reads as comma-separated. Ties prefer tab, then semicolon: a value rarely
/// contains those, while "Doe, Jane" style names do contain commas.
pub(crate) fn sniff(text: &str) -> InputDelimiter {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut lines = 0;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes => {
                lines += 1;
                if lines >= 20 {
                    break;
                }
            }
            '\t' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            ',' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let best = [
        InputDelimiter::Tab,
        InputDelimiter::Semicolon,
        InputDelimiter::Comma,
    ]
    .into_iter()
    .zip(counts)
    .fold((InputDelimiter::Comma, 0), |best, (d, n)| {
        if n > best.1 { (d, n) } else { best }
    });
    best.0
}

/// The delimiter named by an Excel `sep=X` first line, if the file has one.
pub(crate) fn sep_hint(text: &str) -> Option<InputDelimiter> {
    let first = text.lines().next()?.trim_end_matches('\r');
    first.get(..4).filter(|p| p.eq_ignore_ascii_case("sep="))?;
    match &first[4..] {
        "," => Some(InputDelimiter::Comma),
        ";" => Some(InputDelimiter::Semicolon),
        "\t" => Some(InputDelimiter::Tab),
        _ => None,
    }
}

/// The records of `text`, one at a time. Quoted fields may hold delimiters, `""` and line
/// breaks; CRLF, LF and lone CR end a record. Text after a closing quote is kept (lenient, like
/// Excel). A record of more than [`MAX_COLUMNS`] fields ends the iteration with an error.
pub(crate) struct Records<'a> {
    chars: Peekable<Chars<'a>>,
    delimiter: char,
    line: usize,
    done: bool,
}

impl<'a> Records<'a> {
    /// Splits `text` at `delimiter`.
    pub(crate) fn new(text: &'a str, delimiter: InputDelimiter) -> Self {
        Self {
            chars: text.chars().peekable(),
            delimiter: delimiter.char(),
            line: 1,
            done: false,
        }
    }

    /// Reads on to the end of a quoted field's text (its closing quote is consumed).
    fn quoted(&mut self, field: &mut String) -> bool {
        while let Some(c) = self.chars.next() {
            match c {
                '"' if self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    field.push('"');
                }
                '"' => return true,
                '\n' => {
                    self.line += 1;
                    field.push('\n');
                }
                '\r' => {
                    if self.chars.peek() == Some(&'\n') {
                        self.chars.next();
                    }
                    self.line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
        }
        false
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let line = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut open_quote = false;
        while let Some(c) = self.chars.next() {
            match c {
                '"' if field.is_empty() => open_quote = !self.quoted(&mut field),
                '\r' | '\n' => {
                    if c == '\r' && self.chars.peek() == Some(&'\n') {
                        self.chars.next();
                    }
                    fields.push(field);
                    self.line += 1;
                    return Some(Ok(Record { line, fields }));
                }
                c if c == self.delimiter => {
                    fields.push(std::mem::take(&mut field));
                    if fields.len() >= MAX_COLUMNS {
                        self.done = true;
                        return Some(Err(ReadError::TooManyColumns { line }));
                    }
                }
                c => field.push(c),
            }
        }
        self.done = true;
        if !field.is_empty() || !fields.is_empty() || open_quote {
            fields.push(field);
            return Some(Ok(Record { line, fields }));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(line: usize, fields: &[&str]) -> Record {
        Record {
            line,
            fields: fields.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn records(text: &str, delimiter: InputDelimiter) -> Vec<Record> {
        Records::new(text, delimiter)
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn keeps_blank_lines_and_line_numbers() {
        let text = "a,b\r\n\r\n\"x\r\ny\",\"q\"\"\"\nlast";
        assert_eq!(
            records(text, InputDelimiter::Comma),
            vec![
                rec(1, &["a", "b"]),
                rec(2, &[""]),
                rec(3, &["x\ny", "q\""]),
                rec(5, &["last"])
            ]
        );
        assert_eq!(records("a\n", InputDelimiter::Comma), vec![rec(1, &["a"])]);
        assert_eq!(records("", InputDelimiter::Comma), vec![]);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end() {
        assert_eq!(
            records("a\n\"b,c\nd", InputDelimiter::Comma),
            vec![rec(1, &["a"]), rec(2, &["b,c\nd"])]
        );
        assert_eq!(records("\"", InputDelimiter::Comma), vec![rec(1, &[""])]);
    }

    #[test]
    fn a_record_of_more_fields_than_the_limit_ends_with_an_error() {
        let fits = ",".repeat(MAX_COLUMNS - 1);
        assert_eq!(
            records(&fits, InputDelimiter::Comma)[0].fields.len(),
            MAX_COLUMNS
        );
        let wide = format!("a\n{}\nb\n", ",".repeat(MAX_COLUMNS));
        let mut iter = Records::new(&wide, InputDelimiter::Comma);
        assert!(matches!(iter.next(), Some(Ok(_))));
        assert!(matches!(
            iter.next(),
            Some(Err(ReadError::TooManyColumns { line: 2 }))
        ));
        assert!(iter.next().is_none());
    }

    #[test]
    fn excel_sep_line_names_the_delimiter() {
        assert_eq!(
            sep_hint("sep=;\r\na;b\r\n"),
            Some(InputDelimiter::Semicolon)
        );
        assert_eq!(sep_hint("SEP=,\n"), Some(InputDelimiter::Comma));
        assert_eq!(sep_hint("sep=\t\n"), Some(InputDelimiter::Tab));
        assert_eq!(sep_hint("separate@contoso.com\n"), None);
        assert_eq!(sep_hint("sep=|\n"), None);
    }

    #[test]
    fn sniffs_the_commonest_delimiter() {
        assert_eq!(sniff("a;b;c\n1;2;3\n"), InputDelimiter::Semicolon);
        assert_eq!(sniff("a\tb\n\"x,y,z\"\tq\n"), InputDelimiter::Tab);
        assert_eq!(sniff("a,b\n"), InputDelimiter::Comma);
        assert_eq!(sniff("only\none\ncolumn\n"), InputDelimiter::Comma);
    }
}
