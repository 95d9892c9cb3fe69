//! OData query options for directory collections: rendering with correct percent-encoding, and the
//! advanced-query rules (when Graph wants `ConsistencyLevel: eventual` plus `$count=true`).

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a query option value. Graph decodes `+` as a space and treats `#` as the start
/// of a fragment, so both (and everything that would end the option early) are escaped; the OData
/// punctuation `' ( ) , : / @ $ *` stays readable.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'=')
    .add(b'?')
    .add(b'`')
    .add(b'<')
    .add(b'>')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// Characters escaped in one path segment (an id or a user principal name such as `a_b#EXT#@x.com`).
const PATH_SEGMENT: &AsciiSet = &QUERY_VALUE.add(b'/').add(b'\'').add(b';');

/// Percent-encodes one path segment, e.g. a UPN containing `#EXT#`.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// Percent-encodes one query option value.
pub fn encode_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// What kind of collection a query runs against; the advanced-query rules differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `/users`.
    Users,
    /// `/groups`.
    Groups,
    /// A directory-object relationship: `/groups/{id}/members`, `/groups/{id}/transitiveMembers`,
    /// `/me/ownedObjects`, `/users/{id}/memberOf`, ...: every filter, search, order or type cast needs
    /// advanced query mode.
    Members,
    /// Any other directory collection (`/devices`, `/servicePrincipals`, ...).
    Other,
}

/// User properties that Graph filters only in advanced query mode, even with `eq`.
const USER_AQ_PROPERTIES: &[&str] = &[
    "companyname",
    "mobilephone",
    "officelocation",
    "postalcode",
    "streetaddress",
    "preferredlanguage",
    "employeetype",
    "employeehiredate",
    "onpremisesimmutableid",
    "onpremisessamaccountname",
    "showinaddresslist",
    "onpremisesextensionattributes",
];

/// The OData query options of a directory list request.
///
/// ```
/// use roster_graph::{ListQuery, Resource};
/// let q = ListQuery::new().select(["id", "userPrincipalName"]).filter("endsWith(mail,'#EXT#@x.com')").top(999);
/// assert!(q.needs_advanced(Resource::Users));
/// assert_eq!(
///     q.render(Resource::Users),
///     "$select=id,userPrincipalName&$filter=endsWith(mail,'%23EXT%23@x.com')&$top=999&$count=true"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// `$select`: property names to return.
    pub select: Vec<String>,
    /// `$filter`: an OData filter expression, unencoded.
    pub filter: Option<String>,
    /// `$search`: the whole search expression including its double quotes, e.g. `"displayName:wa"`;
    /// build clauses with [`ListQuery::search_clause`].
    pub search: Option<String>,
    /// `$orderby`: e.g. `displayName desc`.
    pub orderby: Option<String>,
    /// `$top`: page size, 1 to 999 on directory collections.
    pub top: Option<u32>,
    /// `$count=true`: ask for `@odata.count` on the first page (always implies advanced query mode).
    pub count: bool,
    /// `$expand`: one navigation property; not allowed together with advanced query mode.
    pub expand: Option<String>,
    /// An OData cast appended to the path, e.g. `microsoft.graph.user` for `/members/microsoft.graph.user`.
    pub cast: Option<String>,
    /// Force advanced query mode even when the rules below don't require it.
    pub force_advanced: bool,
}

impl ListQuery {
    /// An empty query: Graph's default properties and page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `$select`.
    pub fn select<I, S>(mut self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.select = properties.into_iter().map(Into::into).collect();
        self
    }

    /// Sets `$filter` (unencoded OData expression).
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// Sets `$search` (the whole expression, quotes included).
    pub fn search(mut self, search: impl Into<String>) -> Self {
        self.search = Some(search.into());
        self
    }

    /// Sets `$orderby`.
    pub fn orderby(mut self, orderby: impl Into<String>) -> Self {
        self.orderby = Some(orderby.into());
        self
    }

    /// Sets `$top` (page size).
    pub fn top(mut self, top: u32) -> Self {
        self.top = Some(top);
        self
    }

    /// Asks for `@odata.count`.
    pub fn count(mut self) -> Self {
        self.count = true;
        self
    }

    /// Sets `$expand`.
    pub fn expand(mut self, expand: impl Into<String>) -> Self {
        self.expand = Some(expand.into());
        self
    }

    /// Sets an OData type cast, e.g. `microsoft.graph.user`.
    pub fn cast(mut self, cast: impl Into<String>) -> Self {
        self.cast = Some(cast.into());
        self
    }

    /// Forces advanced query mode.
    pub fn force_advanced(mut self) -> Self {
        self.force_advanced = true;
        self
    }

    /// One `$search` clause, `"property:text"`, with `"` and `\` escaped as Graph requires.
    pub fn search_clause(property: &str, text: &str) -> String {
        let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{property}:{escaped}\"")
    }

    /// Whether this request needs advanced query mode (`ConsistencyLevel: eventual` + `$count=true`)
    /// on `resource`, by the rules Graph documents for directory objects.
    pub fn needs_advanced(&self, resource: Resource) -> bool {
        if self.force_advanced || self.count || self.search.is_some() {
            return true;
        }
        if resource == Resource::Members
            && (self.filter.is_some() || self.orderby.is_some() || self.cast.is_some())
        {
            return true;
        }
        if self.filter.is_some() && self.orderby.is_some() {
            return true;
        }
        if let Some(orderby) = &self.orderby
            && !orderby_is_default(orderby, resource)
        {
            return true;
        }
        self.filter
            .as_deref()
            .is_some_and(|filter| filter_needs_advanced(filter, resource))
    }

    /// A reason why this query cannot be sent as written, in plain words, or `None` when it can.
    pub fn problem(&self, resource: Resource) -> Option<String> {
        if self.expand.is_some() && self.needs_advanced(resource) {
            return Some(
                "$expand cannot be combined with $search, $count or advanced filters; drop $expand or \
                 fetch the related objects in a second pass"
                    .to_owned(),
            );
        }
        match self.top {
            Some(top) if !(1..=999).contains(&top) => Some(format!(
                "page size $top={top} is outside 1..999, the range Graph accepts"
            )),
            _ => None,
        }
    }

    /// The query string (without `?`), `$count=true` added when advanced query mode is needed.
    pub fn render(&self, resource: Resource) -> String {
        let mut out = String::new();
        let mut push = |name: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            let _ = write!(out, "${name}={}", encode_value(value));
        };
        if !self.select.is_empty() {
            push("select", &self.select.join(","));
        }
        if let Some(filter) = &self.filter {
            push("filter", filter);
        }
        if let Some(search) = &self.search {
            push("search", search);
        }
        if let Some(orderby) = &self.orderby {
            push("orderby", orderby);
        }
        if let Some(top) = self.top {
            push("top", &top.to_string());
        }
        if let Some(expand) = &self.expand {
            push("expand", expand);
        }
        if self.needs_advanced(resource) {
            push("count", "true");
        }
        out
    }

    /// The relative URL `path[/cast]?query` for a collection at `path` (e.g. `/users`).
    pub fn path_and_query(&self, path: &str, resource: Resource) -> String {
        let mut url = path.trim_end_matches('/').to_owned();
        if let Some(cast) = &self.cast {
            url.push('/');
            url.push_str(&encode_segment(cast));
        }
        let query = self.render(resource);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        url
    }
}

/// Whether `$orderby` only names properties Graph sorts by without advanced query mode.
fn orderby_is_default(orderby: &str, resource: Resource) -> bool {
    let allowed: &[&str] = match resource {
        Resource::Users => &["displayname", "userprincipalname"],
        Resource::Groups => &["displayname"],
        Resource::Members | Resource::Other => &[],
    };
    orderby.split(',').all(|term| {
        let property = term
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        allowed.contains(&property.as_str())
    })
}

/// Whether a `$filter` uses an operator or property that Graph serves only in advanced query mode:
/// `ne`, `not`, `endsWith`, `eq null`/`ne null`, collection `$count`, or (users) a property from the
/// advanced-only list.
fn filter_needs_advanced(filter: &str, resource: Resource) -> bool {
    let words = filter_words(filter);
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    lower.iter().enumerate().any(|(i, word)| {
        let next = lower.get(i + 1).map(String::as_str);
        match word.as_str() {
            "ne" | "not" | "endswith" => true,
            "eq" => next == Some("null"),
            w if w.split('/').any(|part| part == "$count") => true,
            _ => {
                resource == Resource::Users
                    && word
                        .split('/')
                        .any(|part| USER_AQ_PROPERTIES.contains(&part))
            }
        }
    })
}

/// The identifiers and operators of a filter, outside string literals (`'...'`, `''` escapes a quote).
fn filter_words(filter: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut chars = filter.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            // Skip the literal; a doubled quote inside it is an escaped quote.
            while let Some(inner) = chars.next() {
                if inner == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        break;
                    }
                }
            }
        } else if c.is_alphanumeric() || matches!(c, '_' | '$' | '/' | '.') {
            current.push(c);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_a_stable_order_with_encoding() {
        let q = ListQuery::new()
            .select(["id", "displayName"])
            .filter("startswith(displayName,'a b&c')")
            .top(999);
        assert_eq!(
            q.render(Resource::Users),
            "$select=id,displayName&$filter=startswith(displayName,'a%20b%26c')&$top=999"
        );
        assert_eq!(ListQuery::new().render(Resource::Users), "");
    }

    #[test]
    fn hash_and_plus_are_escaped() {
        let q = ListQuery::new()
            .filter("endsWith(userPrincipalName,'#EXT#@contoso.com') or mail eq 'a+b@x.com'");
        let rendered = q.render(Resource::Users);
        assert!(rendered.contains("'%23EXT%23@contoso.com'"), "{rendered}");
        assert!(rendered.contains("'a%2Bb@x.com'"), "{rendered}");
        assert!(rendered.ends_with("&$count=true"));
    }

    #[test]
    fn search_quotes_are_encoded_and_clauses_escape_quotes() {
        let search = format!(
            "{} OR {}",
            ListQuery::search_clause("displayName", "wa"),
            ListQuery::search_clause("mail", "a\"b")
        );
        assert_eq!(search, r#""displayName:wa" OR "mail:a\"b""#);
        let q = ListQuery::new().search(search);
        assert_eq!(
            q.render(Resource::Groups),
            "$search=%22displayName:wa%22%20OR%20%22mail:a%5C%22b%22&$count=true"
        );
    }

    #[test]
    fn cast_goes_into_the_path() {
        let q = ListQuery::new().cast("microsoft.graph.user").select(["id"]);
        assert_eq!(
            q.path_and_query("/groups/g1/members", Resource::Members),
            "/groups/g1/members/microsoft.graph.user?$select=id&$count=true"
        );
        assert_eq!(
            ListQuery::new().path_and_query("/users/", Resource::Users),
            "/users"
        );
    }

    #[test]
    fn simple_queries_do_not_need_advanced_mode() {
        for q in [
            ListQuery::new(),
            ListQuery::new().select(["id"]).top(999),
            ListQuery::new().filter("startswith(displayName,'a')"),
            ListQuery::new().filter("accountEnabled eq true and userType eq 'Guest'"),
            ListQuery::new().filter("displayName eq 'not ne endswith eq null'"),
            ListQuery::new().orderby("displayName desc"),
            ListQuery::new().orderby("userPrincipalName"),
        ] {
            assert!(!q.needs_advanced(Resource::Users), "{q:?}");
        }
        assert!(
            !ListQuery::new()
                .select(["id"])
                .needs_advanced(Resource::Members)
        );
        assert!(
            !ListQuery::new()
                .expand("members")
                .needs_advanced(Resource::Groups)
        );
    }

    #[test]
    fn advanced_rules_from_the_reference() {
        let users = [
            ListQuery::new().filter("accountEnabled ne true"),
            ListQuery::new().filter("NOT(imAddresses/any(s:s eq 'admin@contoso.com'))"),
            ListQuery::new().filter("endsWith(mail,'@contoso.com')"),
            ListQuery::new().filter("department eq null"),
            ListQuery::new().filter("assignedLicenses/$count eq 0"),
            ListQuery::new().filter("companyName eq 'Contoso'"),
            ListQuery::new().filter("onPremisesExtensionAttributes/extensionAttribute1 eq 'x'"),
            ListQuery::new()
                .filter("startswith(displayName,'a')")
                .orderby("displayName"),
            ListQuery::new().orderby("createdDateTime"),
            ListQuery::new().search("\"displayName:wa\""),
            ListQuery::new().count(),
            ListQuery::new().force_advanced(),
        ];
        for q in users {
            assert!(q.needs_advanced(Resource::Users), "{q:?}");
        }
        assert!(
            ListQuery::new()
                .orderby("mail")
                .needs_advanced(Resource::Groups)
        );
        assert!(
            ListQuery::new()
                .orderby("userPrincipalName")
                .needs_advanced(Resource::Groups)
        );
        assert!(
            !ListQuery::new()
                .filter("companyName eq 'x'")
                .needs_advanced(Resource::Groups)
        );
        for q in [
            ListQuery::new().filter("startswith(displayName,'a')"),
            ListQuery::new().orderby("displayName"),
            ListQuery::new().cast("microsoft.graph.user"),
        ] {
            assert!(q.needs_advanced(Resource::Members), "{q:?}");
        }
    }

    #[test]
    fn problems_are_reported_before_sending() {
        assert!(
            ListQuery::new()
                .top(1000)
                .problem(Resource::Users)
                .unwrap()
                .contains("1..999")
        );
        assert!(ListQuery::new().top(0).problem(Resource::Users).is_some());
        assert!(
            ListQuery::new()
                .expand("manager")
                .count()
                .problem(Resource::Users)
                .unwrap()
                .contains("$expand")
        );
        assert_eq!(
            ListQuery::new()
                .top(999)
                .expand("members")
                .problem(Resource::Groups),
            None
        );
    }

    #[test]
    fn path_segments_escape_hash_and_slash() {
        assert_eq!(
            encode_segment("ann_x.com#EXT#@t.onmicrosoft.com"),
            "ann_x.com%23EXT%23@t.onmicrosoft.com"
        );
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
    }
}
