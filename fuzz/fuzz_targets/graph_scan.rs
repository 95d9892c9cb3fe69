//! roster-graph's reading of Graph answers: `scan::scan_head` (the pager reads `@odata.nextLink`
//! and `@odata.count` from the first bytes of a page while the rest arrives), the error envelope
//! (`GraphError::from_response` and its advice) and `Retry-After` values.
//!
//! Input: one byte that says where the page is cut (as if only that much had arrived), then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roster_graph::error::{GraphError, RequestContext};
use roster_graph::retry::{MAX_RETRY_AFTER, parse_retry_after};
use roster_graph::scan::{Head, scan_head};
use std::time::{Duration, SystemTime};

fuzz_target!(|data: &[u8]| {
    let Some((&cut, body)) = data.split_first() else {
        return;
    };
    // What a prefix decides must be what the whole body decides: the pager acts on the prefix.
    let full = scan_head(body);
    let arrived = &body[..body.len() * usize::from(cut) / 255];
    let partial = scan_head(arrived);
    assert!(
        partial == Head::Incomplete || partial == full,
        "prefix {partial:?}, whole {full:?}"
    );
    let status = 400 + u16::from(cut) % 200;
    let error = GraphError::from_response(
        status,
        &reqwest::header::HeaderMap::new(),
        body,
        RequestContext::default(),
    );
    drop(error.advice());
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000);
    if let Some(wait) = parse_retry_after(&String::from_utf8_lossy(body), now) {
        assert!(wait <= MAX_RETRY_AFTER, "{wait:?}");
    }
});
