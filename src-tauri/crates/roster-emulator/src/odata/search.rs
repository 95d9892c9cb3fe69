//! `$search` on directory objects (graph-api.md §3.2): `"property:text"` clauses joined by upper-case
//! `AND`/`OR` with parentheses. `displayName` and `description` are tokenized and matched word-prefix,
//! in any order and case-insensitively; every other property behaves like `startsWith`.

use super::compile::Scope;
use super::text::ci_starts_with;
use super::{Entity, ODataError, Value};

/// A compiled `$search` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Search {
    And(Vec<Search>),
    Or(Vec<Search>),
    Clause(Clause),
}

/// One `"property:text"` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clause {
    prop: &'static str,
    /// Lower-cased search text (used as a `startsWith` prefix on untokenized properties).
    text: Box<str>,
    /// Lower-cased query tokens; `Some` only for tokenized properties.
    tokens: Option<Vec<Box<str>>>,
}

const TOKENIZED: [&str; 2] = ["displayName", "description"];

impl Search {
    /// Whether the entity matches.
    pub(crate) fn matches(&self, e: &dyn Entity) -> bool {
        match self {
            Search::And(items) => items.iter().all(|s| s.matches(e)),
            Search::Or(items) => items.iter().any(|s| s.matches(e)),
            Search::Clause(c) => c.matches(e),
        }
    }
}

impl Clause {
    fn matches(&self, e: &dyn Entity) -> bool {
        match e.get(self.prop) {
            Some(Value::Str(s)) => self.matches_str(s),
            Some(Value::Guid(s)) => ci_starts_with(s, &self.text),
            Some(Value::List(items)) => items
                .iter()
                .any(|v| matches!(v, Value::Str(s) if ci_starts_with(s, &self.text))),
            _ => false,
        }
    }

    fn matches_str(&self, s: &str) -> bool {
        match &self.tokens {
            None => ci_starts_with(s, &self.text),
            Some(tokens) => tokens.iter().all(|q| value_has_token_prefix(s, q)),
        }
    }
}

/// Whether some token of `value` (or the symbol-free join of a space-separated word that contains
/// symbols) starts with the lower-cased query token `q`. Allocation-free.
pub(crate) fn value_has_token_prefix(value: &str, q: &str) -> bool {
    if value.is_ascii() && q.is_ascii() {
        return ascii_has_token_prefix(value.as_bytes(), q.as_bytes());
    }
    unicode_has_token_prefix(value, q)
}

/// [`value_has_token_prefix`] for any text.
pub(crate) fn unicode_has_token_prefix(value: &str, q: &str) -> bool {
    value.split_whitespace().any(|word| {
        if split_word(word, |tok| ci_starts_with(tok, q)) {
            return true;
        }
        if word.chars().any(|c| !c.is_alphanumeric()) {
            let mut joined = word
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase);
            return q.chars().all(|c| joined.next() == Some(c));
        }
        false
    })
}

/// [`value_has_token_prefix`] for ASCII text, on bytes.
fn ascii_has_token_prefix(value: &[u8], q: &[u8]) -> bool {
    let starts = |tok: &[u8]| tok.len() >= q.len() && tok[..q.len()].eq_ignore_ascii_case(q);
    value
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty())
        .any(|word| {
            let mut start: Option<usize> = None;
            let mut prev = Class::Other;
            let mut has_symbol = false;
            for (i, &b) in word.iter().enumerate() {
                let cl = class(char::from(b));
                has_symbol |= cl == Class::Other;
                if is_boundary(prev, cl)
                    && let Some(s) = start.take()
                    && starts(&word[s..i])
                {
                    return true;
                }
                if cl != Class::Other && start.is_none() {
                    start = Some(i);
                }
                prev = cl;
            }
            if start.is_some_and(|s| starts(&word[s..])) {
                return true;
            }
            has_symbol && {
                let mut joined = word
                    .iter()
                    .filter(|b| b.is_ascii_alphanumeric())
                    .map(u8::to_ascii_lowercase);
                q.iter().all(|c| joined.next() == Some(*c))
            }
        })
}

fn is_boundary(prev: Class, cl: Class) -> bool {
    matches!(
        (prev, cl),
        (_, Class::Other)
            | (Class::Other, _)
            | (Class::Lower, Class::Upper)
            | (Class::Digit, Class::Lower | Class::Upper)
            | (Class::Lower | Class::Upper, Class::Digit)
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Lower,
    Upper,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return match c {
            'a'..='z' => Class::Lower,
            'A'..='Z' => Class::Upper,
            '0'..='9' => Class::Digit,
            _ => Class::Other,
        };
    }
    if c.is_numeric() {
        Class::Digit
    } else if c.is_uppercase() {
        Class::Upper
    } else if c.is_alphabetic() {
        Class::Lower
    } else {
        Class::Other
    }
}

/// Splits one space-free word into tokens: at symbols, at letter/digit changes, and where a lower-case
/// letter is followed by an upper-case one (`HelloWorld` → `Hello`, `World`; `HELLOworld` stays whole).
/// Stops and returns true as soon as `emit` returns true.
fn split_word(word: &str, mut emit: impl FnMut(&str) -> bool) -> bool {
    let mut start: Option<usize> = None;
    let mut prev = Class::Other;
    for (i, c) in word.char_indices() {
        let cl = class(c);
        let boundary = is_boundary(prev, cl);
        if boundary
            && let Some(s) = start.take()
            && emit(&word[s..i])
        {
            return true;
        }
        if cl != Class::Other && start.is_none() {
            start = Some(i);
        }
        prev = cl;
    }
    start.is_some_and(|s| emit(&word[s..]))
}

/// The lower-cased tokens of a text, as `$search` indexes `displayName`/`description`: word tokens
/// plus, for words containing symbols, the word with its symbols removed.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        split_word(word, |t| {
            out.push(t.to_lowercase());
            false
        });
        if word.chars().any(|c| !c.is_alphanumeric()) {
            let joined: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
            if !joined.is_empty() {
                out.push(joined.to_lowercase());
            }
        }
    }
    out
}

fn query_tokens(text: &str) -> Vec<Box<str>> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        split_word(word, |t| {
            out.push(t.to_lowercase().into());
            false
        });
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Clause(String),
    And,
    Or,
    LParen,
    RParen,
}

fn syntax(msg: impl std::fmt::Display) -> ODataError {
    ODataError::bad_request(format!("Syntax error in $search: {msg}"))
}

fn tokenize_query(src: &str) -> Result<Vec<Tok>, ODataError> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => out.push(Tok::LParen),
            ')' => out.push(Tok::RParen),
            '"' => {
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => return Err(syntax("a quoted clause is not closed")),
                        Some('\\') => match chars.next() {
                            Some(e) => s.push(e),
                            None => return Err(syntax("a quoted clause ends with '\\'")),
                        },
                        Some('"') => break,
                        Some(ch) => s.push(ch),
                    }
                }
                out.push(Tok::Clause(s));
            }
            c if c.is_alphabetic() => {
                let mut w = String::from(c);
                while let Some(&n) = chars.peek().filter(|n| n.is_alphanumeric()) {
                    w.push(n);
                    chars.next();
                }
                match w.as_str() {
                    "AND" => out.push(Tok::And),
                    "OR" => out.push(Tok::Or),
                    _ => {
                        return Err(syntax(format!(
                            "unexpected '{w}': clauses must be quoted (\"property:text\") and operators upper-case AND/OR"
                        )));
                    }
                }
            }
            other => return Err(syntax(format!("unexpected character '{other}'"))),
        }
    }
    Ok(out)
}

struct Parser<'s> {
    toks: Vec<Tok>,
    at: usize,
    scope: &'s Scope,
}

/// Parses and compiles a `$search` value for `scope`.
pub(crate) fn compile(src: &str, scope: &Scope) -> Result<Search, ODataError> {
    let toks = tokenize_query(src)?;
    if toks.is_empty() {
        return Err(syntax("the search expression is empty"));
    }
    let mut p = Parser { toks, at: 0, scope };
    let s = p.or()?;
    if p.at < p.toks.len() {
        return Err(syntax("unexpected input after the expression"));
    }
    Ok(s)
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn or(&mut self) -> Result<Search, ODataError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Search::Or(items)
        })
    }

    fn and(&mut self) -> Result<Search, ODataError> {
        let mut items = vec![self.primary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => self.at += 1,
                // Adjacent clauses are combined with AND.
                Some(Tok::Clause(_) | Tok::LParen) => {}
                _ => break,
            }
            items.push(self.primary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Search::And(items)
        })
    }

    fn primary(&mut self) -> Result<Search, ODataError> {
        let tok = self.toks.get(self.at).cloned();
        self.at += 1;
        match tok {
            Some(Tok::LParen) => {
                let inner = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(syntax("missing ')'"));
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Tok::Clause(c)) => self.clause(&c),
            _ => Err(syntax("expected a quoted \"property:text\" clause")),
        }
    }

    fn clause(&self, c: &str) -> Result<Search, ODataError> {
        let Some((prop, text)) = c.split_once(':') else {
            return Err(syntax(format!(
                "the clause \"{c}\" must have the form \"property:text\""
            )));
        };
        let def = self.scope.property(prop.trim())?;
        if self.scope.rule(def.name).is_none() {
            return Err(ODataError::unsupported(format!(
                "Unsupported or invalid query filter clause specified for property '{}' of resource '{}'.",
                def.name,
                self.scope.resource()
            )));
        }
        let tokens = TOKENIZED.contains(&def.name).then(|| query_tokens(text));
        Ok(Search::Clause(Clause {
            prop: def.name,
            text: text.to_lowercase().into(),
            tokens,
        }))
    }
}
