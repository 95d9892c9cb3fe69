//! `$filter` syntax: a tokenizer and a recursive-descent parser producing an untyped syntax tree.
//! Names are resolved and checked against the property rules later, in `compile`.
//!
//! Precedence, loosest first: `or`, `and`, `not`, comparison. `not` applies to the comparison, call or
//! parenthesised expression right after it, so `not a eq 1 and b eq 2` is `(not (a eq 1)) and (b eq 2)`.

use super::ODataError;

/// A literal as written in the query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    /// A quoted string, with `''` already unescaped.
    Str(String),
    /// An unquoted GUID.
    Guid(String),
    /// An unquoted `Edm.DateTimeOffset` (or `Edm.Date`, taken as midnight UTC), as written.
    DateTime(String),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    fn from_word(w: &str) -> Option<CmpOp> {
        Some(match w.to_ascii_lowercase().as_str() {
            "eq" => CmpOp::Eq,
            "ne" => CmpOp::Ne,
            "gt" => CmpOp::Gt,
            "ge" => CmpOp::Ge,
            "lt" => CmpOp::Lt,
            "le" => CmpOp::Le,
            _ => return None,
        })
    }

    /// The operator as Graph spells it in messages.
    pub(crate) fn word(self) -> &'static str {
        match self {
            CmpOp::Eq => "eq",
            CmpOp::Ne => "ne",
            CmpOp::Gt => "gt",
            CmpOp::Ge => "ge",
            CmpOp::Lt => "lt",
            CmpOp::Le => "le",
        }
    }

    /// The operator kind as OData's type checker names it.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            CmpOp::Eq => "Equal",
            CmpOp::Ne => "NotEqual",
            CmpOp::Gt => "GreaterThan",
            CmpOp::Ge => "GreaterThanOrEqual",
            CmpOp::Lt => "LessThan",
            CmpOp::Le => "LessThanOrEqual",
        }
    }
}

/// A string function usable as a boolean filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    StartsWith,
    EndsWith,
}

/// A lambda operator on a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LambdaKind {
    Any,
    All,
}

/// The untyped syntax tree of a `$filter`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ast {
    Or(Vec<Ast>),
    And(Vec<Ast>),
    Not(Box<Ast>),
    /// `path op literal`; a path ending in `$count` compares the collection's size.
    Cmp {
        path: Vec<String>,
        op: CmpOp,
        lit: Literal,
    },
    /// `path in (l1, l2, ...)`.
    In {
        path: Vec<String>,
        lits: Vec<Literal>,
    },
    /// `startsWith(path, 'x')`, `endsWith(path, 'x')`.
    Call {
        func: Func,
        path: Vec<String>,
        lit: Literal,
    },
    /// `path/any(v: body)`; `body` is `None` for the argument-less `any()`.
    Lambda {
        path: Vec<String>,
        kind: LambdaKind,
        var: String,
        body: Option<Box<Ast>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Lit(Literal),
    LParen,
    RParen,
    Comma,
    Colon,
    Slash,
}

fn err(msg: impl std::fmt::Display) -> ODataError {
    ODataError::bad_request(format!("Invalid filter clause: {msg}"))
}

fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Whether `s` looks like `YYYY-MM-DD` optionally followed by `T...`.
fn is_date_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || b[10] == b'T' || b[10] == b't')
}

fn tokenize(src: &str) -> Result<Vec<(usize, Tok)>, ODataError> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        match c {
            c if c.is_whitespace() || c == '+' => i += 1,
            '(' | ')' | ',' | ':' | '/' => {
                out.push((
                    pos,
                    match c {
                        '(' => Tok::LParen,
                        ')' => Tok::RParen,
                        ',' => Tok::Comma,
                        ':' => Tok::Colon,
                        _ => Tok::Slash,
                    },
                ));
                i += 1;
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(err(format!(
                                "unterminated string literal at position {pos}"
                            )));
                        }
                        Some((_, '\'')) if matches!(chars.get(i + 1), Some((_, '\''))) => {
                            s.push('\'');
                            i += 2;
                        }
                        Some((_, '\'')) => {
                            i += 1;
                            break;
                        }
                        Some((_, ch)) => {
                            s.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push((pos, Tok::Lit(Literal::Str(s))));
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit())) =>
            {
                let start = i;
                i += 1;
                while chars.get(i).is_some_and(|(_, d)| {
                    d.is_ascii_alphanumeric() || matches!(d, '-' | ':' | '.' | '+')
                }) {
                    i += 1;
                }
                let end = chars.get(i).map_or(src.len(), |(p, _)| *p);
                let text = &src[pos..end];
                let lit = if is_guid(text) {
                    Literal::Guid(text.to_owned())
                } else if is_date_like(text) {
                    Literal::DateTime(text.to_owned())
                } else if let Ok(n) = text.parse::<i64>() {
                    Literal::Int(n)
                } else {
                    return Err(err(format!(
                        "unrecognised literal '{text}' at position {}",
                        chars[start].0
                    )));
                };
                out.push((pos, Tok::Lit(lit)));
            }
            c if c.is_alphabetic() || c == '$' || c == '_' || c == '@' => {
                let mut j = i + 1;
                while chars
                    .get(j)
                    .is_some_and(|(_, d)| d.is_alphanumeric() || matches!(d, '_' | '.' | '$' | '@'))
                {
                    j += 1;
                }
                let end = chars.get(j).map_or(src.len(), |(p, _)| *p);
                // An unquoted GUID that starts with a hex letter: `cbdc14ab-d96c-...`.
                if let Some(g) = src.get(pos..pos + 36).filter(|g| is_guid(g)) {
                    out.push((pos, Tok::Lit(Literal::Guid(g.to_owned()))));
                    i += g.chars().count();
                    continue;
                }
                let word = &src[pos..end];
                let tok = match word.to_ascii_lowercase().as_str() {
                    "null" => Tok::Lit(Literal::Null),
                    "true" => Tok::Lit(Literal::Bool(true)),
                    "false" => Tok::Lit(Literal::Bool(false)),
                    _ => Tok::Word(word.to_owned()),
                };
                out.push((pos, tok));
                i = j;
            }
            other => {
                return Err(err(format!(
                    "unexpected character '{other}' at position {pos}"
                )));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    at: usize,
    len: usize,
}

/// Parses a `$filter` expression.
pub(crate) fn parse_filter(src: &str) -> Result<Ast, ODataError> {
    let toks = tokenize(src)?;
    if toks.is_empty() {
        return Err(err("the filter expression is empty"));
    }
    let mut p = Parser {
        toks,
        at: 0,
        len: src.len(),
    };
    let ast = p.or_expr()?;
    if let Some((pos, t)) = p.toks.get(p.at) {
        return Err(err(format!("unexpected {} at position {pos}", describe(t))));
    }
    Ok(ast)
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("'{w}'"),
        Tok::Lit(l) => format!("literal {l:?}"),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::Colon => "':'".into(),
        Tok::Slash => "'/'".into(),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(_, t)| t)
    }

    fn pos(&self) -> usize {
        self.toks.get(self.at).map_or(self.len, |(p, _)| *p)
    }

    fn peek_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).map(|(_, t)| t.clone());
        self.at += 1;
        t
    }

    fn expect(&mut self, want: &Tok, what: &str) -> Result<(), ODataError> {
        let pos = self.pos();
        match self.next() {
            Some(ref t) if t == want => Ok(()),
            Some(t) => Err(err(format!(
                "expected {what} at position {pos}, found {}",
                describe(&t)
            ))),
            None => Err(err(format!("expected {what} at the end of the expression"))),
        }
    }

    fn or_expr(&mut self) -> Result<Ast, ODataError> {
        let mut items = vec![self.and_expr()?];
        while self.peek_word("or") {
            self.at += 1;
            items.push(self.and_expr()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Ast::Or(items)
        })
    }

    fn and_expr(&mut self) -> Result<Ast, ODataError> {
        let mut items = vec![self.unary()?];
        while self.peek_word("and") {
            self.at += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Ast::And(items)
        })
    }

    fn unary(&mut self) -> Result<Ast, ODataError> {
        if self.peek_word("not") {
            self.at += 1;
            return Ok(Ast::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Ast, ODataError> {
        let pos = self.pos();
        match self.next() {
            Some(Tok::LParen) => {
                let inner = self.or_expr()?;
                self.expect(&Tok::RParen, "')'")?;
                Ok(inner)
            }
            Some(Tok::Word(w)) => {
                let func = match w.to_ascii_lowercase().as_str() {
                    "startswith" => Some(Func::StartsWith),
                    "endswith" => Some(Func::EndsWith),
                    _ => None,
                };
                if let (Some(func), Some(Tok::LParen)) = (func, self.peek()) {
                    self.at += 1;
                    return self.call(func);
                }
                if matches!(self.peek(), Some(Tok::LParen)) {
                    return Err(err(format!("unknown function '{w}' at position {pos}")));
                }
                self.after_path(w)
            }
            Some(t) => Err(err(format!(
                "expected a property or function at position {pos}, found {}",
                describe(&t)
            ))),
            None => Err(err(
                "the expression ends where a property or function was expected",
            )),
        }
    }

    fn call(&mut self, func: Func) -> Result<Ast, ODataError> {
        let path = self.path()?;
        self.expect(&Tok::Comma, "','")?;
        let lit = self.literal()?;
        self.expect(&Tok::RParen, "')'")?;
        Ok(Ast::Call { func, path, lit })
    }

    /// Reads `a/b/c` (the first word already consumed is not part of this helper).
    fn path(&mut self) -> Result<Vec<String>, ODataError> {
        let pos = self.pos();
        match self.next() {
            Some(Tok::Word(w)) => {
                let mut path = vec![w];
                while matches!(self.peek(), Some(Tok::Slash)) {
                    self.at += 1;
                    path.push(self.word()?);
                }
                Ok(path)
            }
            _ => Err(err(format!("expected a property at position {pos}"))),
        }
    }

    fn word(&mut self) -> Result<String, ODataError> {
        let pos = self.pos();
        match self.next() {
            Some(Tok::Word(w)) => Ok(w),
            _ => Err(err(format!("expected a property name at position {pos}"))),
        }
    }

    fn literal(&mut self) -> Result<Literal, ODataError> {
        let pos = self.pos();
        match self.next() {
            Some(Tok::Lit(l)) => Ok(l),
            Some(t) => Err(err(format!(
                "expected a literal at position {pos}, found {}",
                describe(&t)
            ))),
            None => Err(err("the expression ends where a literal was expected")),
        }
    }

    /// After the first word of a path: more segments, a lambda, then a comparison or `in`.
    fn after_path(&mut self, first: String) -> Result<Ast, ODataError> {
        let mut path = vec![first];
        while matches!(self.peek(), Some(Tok::Slash)) {
            self.at += 1;
            let seg = self.word()?;
            let lambda = match seg.to_ascii_lowercase().as_str() {
                "any" => Some(LambdaKind::Any),
                "all" => Some(LambdaKind::All),
                _ => None,
            };
            if let (Some(kind), Some(Tok::LParen)) = (lambda, self.peek()) {
                self.at += 1;
                return self.lambda(path, kind);
            }
            path.push(seg);
        }
        let pos = self.pos();
        match self.next() {
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("in") => {
                self.expect(&Tok::LParen, "'(' after 'in'")?;
                let mut lits = vec![self.literal()?];
                while matches!(self.peek(), Some(Tok::Comma)) {
                    self.at += 1;
                    lits.push(self.literal()?);
                }
                self.expect(&Tok::RParen, "')'")?;
                Ok(Ast::In { path, lits })
            }
            Some(Tok::Word(w)) => match CmpOp::from_word(&w) {
                Some(op) => Ok(Ast::Cmp {
                    path,
                    op,
                    lit: self.literal()?,
                }),
                None => Err(err(format!("unknown operator '{w}' at position {pos}"))),
            },
            Some(t) => Err(err(format!(
                "expected an operator at position {pos}, found {}",
                describe(&t)
            ))),
            None => Err(err(format!(
                "'{}' must be followed by an operator",
                path.join("/")
            ))),
        }
    }

    fn lambda(&mut self, path: Vec<String>, kind: LambdaKind) -> Result<Ast, ODataError> {
        if matches!(self.peek(), Some(Tok::RParen)) {
            self.at += 1;
            return Ok(Ast::Lambda {
                path,
                kind,
                var: String::new(),
                body: None,
            });
        }
        let var = self.word()?;
        self.expect(&Tok::Colon, "':' after the lambda variable")?;
        let body = self.or_expr()?;
        self.expect(&Tok::RParen, "')' closing the lambda")?;
        Ok(Ast::Lambda {
            path,
            kind,
            var,
            body: Some(Box::new(body)),
        })
    }
}
