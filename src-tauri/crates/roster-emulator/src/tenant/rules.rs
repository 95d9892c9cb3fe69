//! Dynamic membership rules (graph-api.md §5.2): the subset the generator writes, evaluated for real so a
//! dynamic group's members are exactly the users its `membershipRule` matches.
//!
//! Grammar: `expr := term (-or term)*`, `term := factor (-and factor)*`,
//! `factor := -not factor | ( expr ) | user.prop op value`, with ops `-eq -ne -startsWith -notStartsWith
//! -contains -notContains` and values `"text"`, `true`, `false` or `null`.

use std::borrow::Cow;

use super::model::User;

/// A parsed membership rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Both sides hold.
    And(Box<Rule>, Box<Rule>),
    /// Either side holds.
    Or(Box<Rule>, Box<Rule>),
    /// The inner rule does not hold.
    Not(Box<Rule>),
    /// `user.<property> <op> <value>`.
    Compare {
        /// The rule-language property name (`department`, `physicalDeliveryOfficeName`, ...).
        property: String,
        /// The operator.
        op: RuleOp,
        /// The literal (`None` for `null`).
        value: Option<String>,
    },
}

/// A comparison operator of the rule language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleOp {
    /// `-eq`
    Eq,
    /// `-ne`
    Ne,
    /// `-startsWith`
    StartsWith,
    /// `-notStartsWith`
    NotStartsWith,
    /// `-contains`
    Contains,
    /// `-notContains`
    NotContains,
}

/// Why a rule could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid membership rule near '{near}': {reason}")]
pub struct RuleError {
    near: String,
    reason: &'static str,
}

impl Rule {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        let tokens = tokenize(text)?;
        let mut parser = Parser { tokens, pos: 0 };
        let rule = parser.expr()?;
        if parser.pos != parser.tokens.len() {
            return Err(parser.error("unexpected trailing text"));
        }
        Ok(rule)
    }

    /// Whether `user` satisfies the rule (string comparisons are case-insensitive).
    pub fn matches(&self, user: &User) -> bool {
        match self {
            Rule::And(a, b) => a.matches(user) && b.matches(user),
            Rule::Or(a, b) => a.matches(user) || b.matches(user),
            Rule::Not(a) => !a.matches(user),
            Rule::Compare {
                property,
                op,
                value,
            } => {
                let actual = user_value(user, property);
                compare(actual.as_deref(), *op, value.as_deref())
            }
        }
    }
}

/// Case-insensitive equality without allocating for ASCII text (the common case).
fn same(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn starts(a: &str, prefix: &str) -> bool {
    if a.is_ascii() && prefix.is_ascii() {
        a.len() >= prefix.len()
            && a.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    } else {
        a.to_lowercase().starts_with(&prefix.to_lowercase())
    }
}

fn compare(actual: Option<&str>, op: RuleOp, expected: Option<&str>) -> bool {
    let contains = |a: &str, e: &str| a.to_lowercase().contains(&e.to_lowercase());
    match (op, actual, expected) {
        (RuleOp::Eq, Some(a), Some(e)) => same(a, e),
        (RuleOp::Eq, a, e) => a.is_none() && e.is_none(),
        (RuleOp::Ne, a, e) => !compare(a, RuleOp::Eq, e),
        (RuleOp::StartsWith, Some(a), Some(e)) => starts(a, e),
        (RuleOp::NotStartsWith, Some(a), Some(e)) => !starts(a, e),
        (RuleOp::Contains, Some(a), Some(e)) => contains(a, e),
        (RuleOp::NotContains, Some(a), Some(e)) => !contains(a, e),
        (RuleOp::NotStartsWith | RuleOp::NotContains, None, _) => true,
        _ => false,
    }
}

/// The value of a rule-language user property (legacy names included).
fn user_value<'u>(user: &'u User, property: &str) -> Option<Cow<'u, str>> {
    let text = |t: &'u Option<Box<str>>| t.as_deref().map(Cow::Borrowed);
    let flag = |b: bool| Some(Cow::Borrowed(if b { "true" } else { "false" }));
    match property {
        "department" => text(&user.department),
        "country" => text(&user.country),
        "city" => text(&user.city),
        "state" => text(&user.state),
        "jobTitle" => text(&user.job_title),
        "companyName" => text(&user.company_name),
        "displayName" => Some(Cow::Borrowed(&user.display_name)),
        "givenName" => text(&user.given_name),
        "surname" => text(&user.surname),
        "mail" => text(&user.mail),
        "mailNickName" => Some(Cow::Borrowed(&user.mail_nickname)),
        "userPrincipalName" => Some(Cow::Borrowed(&user.user_principal_name)),
        "employeeId" => text(&user.employee_id),
        "postalCode" => text(&user.postal_code),
        "streetAddress" => text(&user.street_address),
        "physicalDeliveryOfficeName" => text(&user.office_location),
        "mobile" => text(&user.mobile_phone),
        "telephoneNumber" => user.business_phones.first().map(|p| Cow::Borrowed(&**p)),
        "usageLocation" => user.usage_location.map(Cow::Borrowed),
        "preferredLanguage" => user.preferred_language.map(Cow::Borrowed),
        "userType" => Some(Cow::Borrowed(if user.guest { "Guest" } else { "Member" })),
        "accountEnabled" => flag(user.account_enabled),
        "dirSyncEnabled" => flag(user.on_prem.is_some()),
        "objectId" => Some(Cow::Owned(user.id.as_str().to_owned())),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Word(String),
    Quoted(String),
}

fn tokenize(text: &str) -> Result<Vec<Token>, RuleError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '"' => {
                chars.next();
                let mut value = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '"' {
                        closed = true;
                        break;
                    }
                    value.push(c);
                }
                if !closed {
                    return Err(RuleError {
                        near: text[start..].to_owned(),
                        reason: "unterminated string",
                    });
                }
                tokens.push(Token::Quoted(value));
            }
            _ => {
                let mut word = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn error(&self, reason: &'static str) -> RuleError {
        let near = match self.tokens.get(self.pos) {
            Some(Token::Word(w)) | Some(Token::Quoted(w)) => w.clone(),
            Some(Token::Open) => "(".into(),
            Some(Token::Close) => ")".into(),
            None => "end of rule".into(),
        };
        RuleError { near, reason }
    }

    fn keyword(&mut self, word: &str) -> bool {
        if let Some(Token::Word(w)) = self.tokens.get(self.pos)
            && w.eq_ignore_ascii_case(word)
        {
            self.pos += 1;
            return true;
        }
        false
    }

    fn expr(&mut self) -> Result<Rule, RuleError> {
        let mut left = self.term()?;
        while self.keyword("-or") || self.keyword("or") {
            let right = self.term()?;
            left = Rule::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Rule, RuleError> {
        let mut left = self.factor()?;
        while self.keyword("-and") || self.keyword("and") {
            let right = self.factor()?;
            left = Rule::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Rule, RuleError> {
        if self.keyword("-not") || self.keyword("not") {
            return Ok(Rule::Not(Box::new(self.factor()?)));
        }
        if self.tokens.get(self.pos) == Some(&Token::Open) {
            self.pos += 1;
            let inner = self.expr()?;
            if self.tokens.get(self.pos) != Some(&Token::Close) {
                return Err(self.error("expected ')'"));
            }
            self.pos += 1;
            return Ok(inner);
        }
        let Some(Token::Word(path)) = self.tokens.get(self.pos).cloned() else {
            return Err(self.error("expected user.<property>"));
        };
        let Some(property) = path.strip_prefix("user.") else {
            return Err(self.error("only user properties are supported"));
        };
        self.pos += 1;
        let Some(Token::Word(op)) = self.tokens.get(self.pos).cloned() else {
            return Err(self.error("expected an operator"));
        };
        let op = match op.trim_start_matches('-').to_ascii_lowercase().as_str() {
            "eq" => RuleOp::Eq,
            "ne" => RuleOp::Ne,
            "startswith" => RuleOp::StartsWith,
            "notstartswith" => RuleOp::NotStartsWith,
            "contains" => RuleOp::Contains,
            "notcontains" => RuleOp::NotContains,
            _ => return Err(self.error("unsupported operator")),
        };
        self.pos += 1;
        let value = match self.tokens.get(self.pos).cloned() {
            Some(Token::Quoted(v)) => Some(v),
            Some(Token::Word(w)) if w == "null" => None,
            Some(Token::Word(w)) if w == "true" || w == "false" => Some(w),
            _ => return Err(self.error("expected a value")),
        };
        self.pos += 1;
        Ok(Rule::Compare {
            property: property.to_owned(),
            op,
            value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_or_not_with_parentheses() {
        let rule =
            Rule::parse(r#"(user.department -eq "Sales") -and -not (user.country -eq "Germany")"#);
        let Ok(Rule::And(left, right)) = rule else {
            panic!("expected And, got {rule:?}")
        };
        assert_eq!(
            *left,
            Rule::Compare {
                property: "department".into(),
                op: RuleOp::Eq,
                value: Some("Sales".into())
            }
        );
        assert!(matches!(*right, Rule::Not(_)));
    }

    #[test]
    fn rejects_broken_rules() {
        assert!(Rule::parse(r#"user.department -eq "Sales"#).is_err());
        assert!(Rule::parse("device.deviceOSType -eq \"Windows\"").is_err());
        assert!(Rule::parse(r#"user.department -like "Sales""#).is_err());
        assert!(Rule::parse(r#"(user.department -eq "Sales""#).is_err());
    }

    #[test]
    fn comparisons_ignore_case() {
        assert!(compare(Some("Sales"), RuleOp::Eq, Some("sales")));
        assert!(compare(None, RuleOp::Eq, None));
        assert!(compare(
            Some("Engineering"),
            RuleOp::StartsWith,
            Some("eng")
        ));
        assert!(!compare(None, RuleOp::StartsWith, Some("eng")));
        assert!(compare(Some("x"), RuleOp::Ne, None));
    }
}
