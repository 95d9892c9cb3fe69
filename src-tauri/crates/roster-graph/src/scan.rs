//! Reads `@odata.nextLink` and `@odata.count` from the first bytes of a collection body, so the pager can
//! request the next page while the rest of this one is still arriving. Graph writes the annotations
//! before `value`; when it does not, the scan says so and the caller waits for the whole body.

/// What the start of a collection body tells about its continuation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// Not enough bytes yet to decide.
    Incomplete,
    /// Every member before `value` (or the whole object) has been read.
    Known {
        /// `@odata.nextLink`, if it came before `value`.
        next_link: Option<String>,
        /// `@odata.count`, if it came before `value`.
        count: Option<u64>,
        /// Whether `value` came before the end: a nextLink may still follow it.
        value_first: bool,
    },
    /// The body is not a JSON object; only a full parse can say more.
    Unreadable,
}

/// Scans the top-level members of the JSON object at the start of `buf` up to the `value` member.
pub fn scan_head(buf: &[u8]) -> Head {
    let mut scanner = Scanner { buf, pos: 0 };
    let mut next_link = None;
    let mut count = None;
    scanner.skip_ws();
    match scanner.peek() {
        None => return Head::Incomplete,
        Some(b'{') => scanner.pos += 1,
        Some(_) => return Head::Unreadable,
    }
    loop {
        scanner.skip_ws();
        match scanner.peek() {
            None => return Head::Incomplete,
            Some(b'}') => {
                return Head::Known {
                    next_link,
                    count,
                    value_first: false,
                };
            }
            Some(b',') => {
                scanner.pos += 1;
                continue;
            }
            Some(b'"') => {}
            Some(_) => return Head::Unreadable,
        }
        let Some(key) = scanner.string() else {
            return Head::Incomplete;
        };
        scanner.skip_ws();
        match scanner.peek() {
            None => return Head::Incomplete,
            Some(b':') => scanner.pos += 1,
            Some(_) => return Head::Unreadable,
        }
        scanner.skip_ws();
        if key == b"value" {
            return Head::Known {
                next_link,
                count,
                value_first: true,
            };
        }
        let start = scanner.pos;
        if !scanner.skip_value() {
            return Head::Incomplete;
        }
        let raw = &buf[start..scanner.pos];
        if key == b"@odata.nextLink" {
            match serde_json::from_slice::<String>(raw) {
                Ok(link) => next_link = Some(link),
                Err(_) => return Head::Unreadable,
            }
        } else if key == b"@odata.count" {
            count = serde_json::from_slice::<u64>(raw).ok();
        }
    }
}

struct Scanner<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    /// Reads a string at `pos` (which holds `"`); returns its raw bytes (escapes not decoded; member
    /// names we look for contain none). `None` when the string is not complete yet.
    fn string(&mut self) -> Option<&'a [u8]> {
        let start = self.pos + 1;
        let mut i = start;
        while i < self.buf.len() {
            match self.buf[i] {
                b'\\' => i += 2,
                b'"' => {
                    self.pos = i + 1;
                    let buf: &'a [u8] = self.buf;
                    return Some(&buf[start..i]);
                }
                _ => i += 1,
            }
        }
        None
    }

    /// Skips one complete JSON value; `false` when it is not complete within the buffer yet.
    fn skip_value(&mut self) -> bool {
        match self.peek() {
            None => false,
            Some(b'"') => self.string().is_some(),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    match c {
                        b'"' => {
                            if self.string().is_none() {
                                return false;
                            }
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return true;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                false
            }
            Some(_) => {
                // A number or literal ends at a delimiter; at the end of the buffer it may go on.
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        return true;
                    }
                    self.pos += 1;
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(id)","@odata.count":893,"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=X%274453%27\u0026a=\"b\"","value":[{"id":"1"}]}"#;

    #[test]
    fn finds_link_and_count_before_value() {
        let expected = Head::Known {
            next_link: Some(
                "https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=X%274453%27&a=\"b\""
                    .into(),
            ),
            count: Some(893),
            value_first: true,
        };
        assert_eq!(scan_head(BODY.as_bytes()), expected);
        let value_at = BODY.find("\"value\":").unwrap() + 8;
        assert_eq!(scan_head(&BODY.as_bytes()[..value_at]), expected);
    }

    #[test]
    fn every_shorter_prefix_is_incomplete_never_wrong() {
        let link_end = BODY.find(",\"value\"").unwrap();
        for cut in 0..link_end {
            assert_eq!(
                scan_head(&BODY.as_bytes()[..cut]),
                Head::Incomplete,
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn value_first_or_last_page_or_nested_annotations() {
        assert_eq!(
            scan_head(br#"{"value":[],"@odata.nextLink":"x"}"#),
            Head::Known {
                next_link: None,
                count: None,
                value_first: true
            }
        );
        assert_eq!(
            scan_head(br#" { "@odata.context" : "c" , "value" : ["#),
            Head::Known {
                next_link: None,
                count: None,
                value_first: true
            }
        );
        assert_eq!(
            scan_head(br#"{"@odata.context":"c","extra":{"@odata.nextLink":"nested","a":[1,{"b":"}"}]},"@odata.nextLink":"top"}"#),
            Head::Known { next_link: Some("top".into()), count: None, value_first: false }
        );
    }

    #[test]
    fn non_objects_are_unreadable() {
        assert_eq!(scan_head(b"893"), Head::Unreadable);
        assert_eq!(scan_head(b"  "), Head::Incomplete);
        assert_eq!(
            scan_head(br#"{"@odata.nextLink":42,"value":[]}"#),
            Head::Unreadable
        );
    }
}
