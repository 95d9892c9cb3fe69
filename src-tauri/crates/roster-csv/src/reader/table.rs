//! A small RFC 4180 reader that keeps blank lines and the physical line of every record (the
//! `csv` crate drops blank lines, and we must report them), plus delimiter sniffing.

use serde::Serialize;

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

/// Splits `text` into records. Quoted fields may hold delimiters, `""` and line breaks; CRLF,
/// LF and lone CR end a record. Text after a closing quote is kept (lenient, like Excel).
pub(crate) fn records(text: &str, delimiter: InputDelimiter) -> Vec<Record> {
    let delimiter = delimiter.char();
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => in_quotes = true,
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                fields.push(std::mem::take(&mut field));
                out.push(Record {
                    line: start_line,
                    fields: std::mem::take(&mut fields),
                });
                line += 1;
                start_line = line;
            }
            c if c == delimiter => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() || in_quotes {
        fields.push(field);
        out.push(Record {
            line: start_line,
            fields,
        });
    }
    out
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
