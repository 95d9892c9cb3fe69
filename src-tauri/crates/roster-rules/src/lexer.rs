//! Splits a rule's source into lexemes, never failing, and classifies them for syntax highlighting
//! ([`tokens`]). The parser reads the same lexemes, so what the editor colours is what the parser sees.
//!
//! Lexemes: words (`user.department`, `null`, `2024-05-01`, `p1d`, `system.now`, `_`, operators
//! written without their hyphen), dashed words (`-eq`, `-and`; the en dash and em dash that
//! word processors and the docs' own examples produce count as a hyphen), strings in double quotes
//! (a quote inside is written `` `" `` or `\"`) or single quotes (a quote inside is written `''`),
//! the docs' `` `"Sales`" `` (a value with its quotes), parentheses, brackets and commas.

use serde::Serialize;

/// One piece of a rule's source, for syntax highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    /// 0-based character offset where the token starts.
    pub start: usize,
    /// 0-based character offset just after the token.
    pub end: usize,
    /// What the token is, for its colour.
    pub kind: TokenKind,
}

/// The kinds of [`Token`] an editor colours differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenKind {
    /// A property: `user.department`, `_`, `assignedPlan.servicePlanId`, `group.objectId`.
    Property,
    /// A comparison operator (`-eq`, `-in`, `-plus`) or the words of `Direct Reports for`.
    Operator,
    /// `-and`, `-or`, `-not`, `-any`, `-all`.
    Logical,
    /// A quoted string.
    String,
    /// `null`, `true`, `false`, numbers, dates, durations and `system.now`.
    Literal,
    /// Parentheses, brackets and commas.
    Punctuation,
    /// Anything else (the parser will report it).
    Unknown,
}

/// The rule's source split into tokens for syntax highlighting; also for a source that does not
/// parse, so it never fails.
pub fn tokens(source: &str) -> Vec<Token> {
    lex(source)
        .iter()
        .map(|lexeme| Token {
            start: lexeme.start,
            end: lexeme.end,
            kind: classify(lexeme),
        })
        .collect()
}

/// What a lexeme looks like, before the parser gives it meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexKind {
    /// A run of characters up to whitespace, a quote or punctuation.
    Word,
    /// A hyphen (or dash) followed by a word: `-eq`; `text` is the word without the dash.
    Dashed,
    /// A quoted string; `text` is its value with escapes resolved.
    Str {
        /// Whether the closing quote was found.
        closed: bool,
    },
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `[`.
    OpenBracket,
    /// `]`.
    CloseBracket,
    /// `,`.
    Comma,
    /// A dash on its own.
    Stray,
}

/// One lexeme: its kind, its meaning text, its source text and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Lexeme {
    pub kind: LexKind,
    /// The word, the dashed word without its dash, or the string's value.
    pub text: String,
    /// The source text exactly as written.
    pub raw: String,
    /// 0-based character offset of the first character.
    pub start: usize,
    /// 0-based character offset after the last character.
    pub end: usize,
}

/// A hyphen, or a dash a word processor put in its place.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2013}' | '\u{2014}' | '\u{2212}')
}

/// Characters that end a word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | '"' | '\'')
}

/// Splits `source` into lexemes. Never fails: an unclosed string runs to the end of the source.
pub(crate) fn lex(source: &str) -> Vec<Lexeme> {
    let chars: Vec<char> = source.chars().collect();
    let mut lexemes = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let (kind, text, end) = match c {
            '(' => (LexKind::Open, String::new(), i + 1),
            ')' => (LexKind::Close, String::new(), i + 1),
            '[' => (LexKind::OpenBracket, String::new(), i + 1),
            ']' => (LexKind::CloseBracket, String::new(), i + 1),
            ',' => (LexKind::Comma, String::new(), i + 1),
            '"' => double_quoted(&chars, i + 1),
            '\'' => single_quoted(&chars, i + 1),
            '`' if chars.get(i + 1) == Some(&'"') => backtick_quoted(&chars, i + 2),
            c if is_dash(c) => dashed(&chars, i),
            _ => {
                let end = word_end(&chars, i);
                (LexKind::Word, chars[i..end].iter().collect(), end)
            }
        };
        lexemes.push(Lexeme {
            kind,
            text,
            raw: chars[start..end].iter().collect(),
            start,
            end,
        });
        i = end;
    }
    lexemes
}

/// Where the word starting at `from` ends.
fn word_end(chars: &[char], from: usize) -> usize {
    let mut end = from;
    while chars.get(end).is_some_and(|&c| !ends_word(c)) {
        end += 1;
    }
    end.max(from + 1).min(chars.len())
}

/// A lexeme starting with a dash at `at`: `-eq` (dashed), `-5` (a word) or a lone dash.
fn dashed(chars: &[char], at: usize) -> (LexKind, String, usize) {
    match chars.get(at + 1) {
        Some(&next) if next.is_alphabetic() => {
            let end = word_end(chars, at + 1);
            (LexKind::Dashed, chars[at + 1..end].iter().collect(), end)
        }
        Some(&next) if !ends_word(next) && !is_dash(next) => {
            let end = word_end(chars, at);
            (LexKind::Word, chars[at..end].iter().collect(), end)
        }
        _ => (LexKind::Stray, chars[at].to_string(), at + 1),
    }
}

/// A string in double quotes whose body starts at `from`; `` `" `` and `\"` are a quote inside.
fn double_quoted(chars: &[char], from: usize) -> (LexKind, String, usize) {
    let mut value = String::new();
    let mut i = from;
    while let Some(&c) = chars.get(i) {
        if (c == '`' || c == '\\') && chars.get(i + 1) == Some(&'"') {
            value.push('"');
            i += 2;
        } else if c == '"' {
            return (LexKind::Str { closed: true }, value, i + 1);
        } else {
            value.push(c);
            i += 1;
        }
    }
    (LexKind::Str { closed: false }, value, i)
}

/// The docs' `` `"Sales`" `` written as a value: a string whose value is `"Sales"`, quotes
/// included (a backtick-escaped quote is a quote character, inside a string or not).
fn backtick_quoted(chars: &[char], from: usize) -> (LexKind, String, usize) {
    let mut value = String::from('"');
    let mut i = from;
    while let Some(&c) = chars.get(i) {
        if c == '`' && chars.get(i + 1) == Some(&'"') {
            value.push('"');
            return (LexKind::Str { closed: true }, value, i + 2);
        }
        value.push(c);
        i += 1;
    }
    (LexKind::Str { closed: false }, value, i)
}

/// A string in single quotes whose body starts at `from`; `''` is a quote inside.
fn single_quoted(chars: &[char], from: usize) -> (LexKind, String, usize) {
    let mut value = String::new();
    let mut i = from;
    while let Some(&c) = chars.get(i) {
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                value.push('\'');
                i += 2;
                continue;
            }
            return (LexKind::Str { closed: true }, value, i + 1);
        }
        value.push(c);
        i += 1;
    }
    (LexKind::Str { closed: false }, value, i)
}

/// The comparison operators' names, lower case, without hyphen (`-plus`/`-minus` are separate).
pub(crate) const OPERATOR_WORDS: &[&str] = &[
    "eq",
    "ne",
    "startswith",
    "notstartswith",
    "endswith",
    "notendswith",
    "contains",
    "notcontains",
    "match",
    "notmatch",
    "in",
    "notin",
    "le",
    "ge",
];

/// The logical operators' names, lower case, without hyphen.
pub(crate) const LOGICAL_WORDS: &[&str] = &["and", "or", "not", "any", "all"];

/// Whether `word` (any case) is an operator or logical operator name.
pub(crate) fn is_keyword(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    OPERATOR_WORDS.contains(&lower.as_str())
        || LOGICAL_WORDS.contains(&lower.as_str())
        || matches!(lower.as_str(), "plus" | "minus")
}

fn classify(lexeme: &Lexeme) -> TokenKind {
    match lexeme.kind {
        LexKind::Str { .. } => TokenKind::String,
        LexKind::Open
        | LexKind::Close
        | LexKind::OpenBracket
        | LexKind::CloseBracket
        | LexKind::Comma => TokenKind::Punctuation,
        LexKind::Stray => TokenKind::Unknown,
        LexKind::Dashed => keyword_kind(&lexeme.text).unwrap_or(TokenKind::Unknown),
        LexKind::Word => word_kind(&lexeme.text),
    }
}

fn keyword_kind(word: &str) -> Option<TokenKind> {
    let lower = word.to_ascii_lowercase();
    if LOGICAL_WORDS.contains(&lower.as_str()) {
        Some(TokenKind::Logical)
    } else if is_keyword(&lower) {
        Some(TokenKind::Operator)
    } else {
        None
    }
}

fn word_kind(word: &str) -> TokenKind {
    if let Some(kind) = keyword_kind(word) {
        return kind;
    }
    let lower = word.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null" | "$null" | "true" | "false" | "system.now"
    ) || lower.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        || crate::dates::parse_duration(word).is_some()
    {
        TokenKind::Literal
    } else if matches!(lower.as_str(), "direct" | "reports" | "for") {
        TokenKind::Operator
    } else if word == "_" || word.contains('.') {
        TokenKind::Property
    } else {
        TokenKind::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(String, TokenKind)> {
        let chars: Vec<char> = source.chars().collect();
        tokens(source)
            .into_iter()
            .map(|t| (chars[t.start..t.end].iter().collect(), t.kind))
            .collect()
    }

    #[test]
    fn a_rule_splits_into_highlighted_tokens() {
        use TokenKind::*;
        let got = kinds(r#"(user.department -eq "Sales") -and -not user.mail eq null"#);
        let want = [
            ("(", Punctuation),
            ("user.department", Property),
            ("-eq", Operator),
            ("\"Sales\"", String),
            (")", Punctuation),
            ("-and", Logical),
            ("-not", Logical),
            ("user.mail", Property),
            ("eq", Operator),
            ("null", Literal),
        ];
        let want: Vec<_> = want.iter().map(|(s, k)| (s.to_string(), *k)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn lists_dates_durations_and_direct_reports_are_classified() {
        use TokenKind::*;
        let got = kinds("user.employeeHireDate -ge system.now -plus p1d ['a',\"b\"] Direct ~");
        let got: Vec<TokenKind> = got.into_iter().map(|(_, k)| k).collect();
        assert_eq!(
            got,
            [
                Property,
                Operator,
                Literal,
                Operator,
                Literal,
                Punctuation,
                String,
                Punctuation,
                String,
                Punctuation,
                Operator,
                Unknown
            ]
        );
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let t = tokens("user.city -eq \"Zürich\" -or");
        assert_eq!((t[2].start, t[2].end), (14, 22));
        assert_eq!((t[3].start, t[3].end), (23, 26));
    }

    #[test]
    fn quotes_inside_strings_are_escaped_as_the_docs_say() {
        let lexemes = lex(r#""say `"hi`"" "a\"b" 'it''s' `"Sales`""#);
        let values: Vec<&str> = lexemes.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(values, ["say \"hi\"", "a\"b", "it's", "\"Sales\""]);
        assert!(
            lexemes
                .iter()
                .all(|l| l.kind == LexKind::Str { closed: true })
        );
    }

    #[test]
    fn an_unclosed_string_runs_to_the_end() {
        let lexemes = lex("user.city -eq \"Par");
        let last = &lexemes[2];
        assert_eq!(last.kind, LexKind::Str { closed: false });
        assert_eq!((last.start, last.end, last.text.as_str()), (14, 18, "Par"));
    }

    #[test]
    fn dashes_from_word_processors_work_as_hyphens_and_a_lone_dash_is_stray() {
        let lexemes = lex("user.mail \u{2013}ne null - -5");
        assert_eq!(lexemes[1].kind, LexKind::Dashed);
        assert_eq!(lexemes[1].text, "ne");
        assert_eq!(lexemes[3].kind, LexKind::Stray);
        assert_eq!(lexemes[4].kind, LexKind::Word);
        assert_eq!(lexemes[4].text, "-5");
    }

    #[test]
    fn operators_glued_to_strings_still_split() {
        let lexemes = lex("user.otherMails -endsWith\"@contoso.com\"");
        assert_eq!(lexemes.len(), 3);
        assert_eq!(lexemes[1].text, "endsWith");
        assert_eq!(lexemes[2].text, "@contoso.com");
    }
}
