//! A typed Microsoft Graph v1.0 client for Roster: query building, a streaming pager with resumable
//! continuations, `$batch`, retries that honour `Retry-After`, adaptive concurrency, typed errors.
//!
//! ```no_run
//! # async fn demo() -> Result<(), roster_graph::GraphError> {
//! use std::sync::Arc;
//! use roster_graph::{AccessToken, Cloud, GraphClient, ListQuery, StaticToken};
//!
//! let tokens = Arc::new(StaticToken(AccessToken::new("eyJ...")));
//! let client = GraphClient::builder(Cloud::Global, tokens).build()?;
//! let mut users = client.list_users(&ListQuery::new().select(["id", "userPrincipalName"]).top(999))?;
//! while let Some(page) = users.next_page().await {
//!     let page = page?;
//!     // write page.items, then checkpoint users.continuation()
//! }
//! # Ok(()) }
//! ```
//!
//! Many listings (e.g. the members of thousands of groups) run in parallel from clones of one client,
//! e.g. with `futures::StreamExt::buffer_unordered`: every request draws from the client's
//! [`ConcurrencyLimiter`], which follows Graph's throttling headers so 429s stay rare, and pauses all
//! streams when one of them is throttled. Failures come back as [`GraphError`]; its
//! [`kind`](GraphError::kind) says whether to retry later, skip the row or stop, and its
//! [`advice`](GraphError::advice) says what the person should do. A write retried after a dropped
//! connection may find its own first attempt applied and report [`ErrorKind::AlreadyExists`] or
//! [`ErrorKind::NotPresent`]: treat both as done.
//!
//! A hostile or broken server cannot hold a job or the memory: each request has an overall deadline
//! ([`DEFAULT_REQUEST_DEADLINE`]), no answer is read beyond [`MAX_RESPONSE_BYTES`], and a
//! `Retry-After` counts for at most [`MAX_RETRY_AFTER`] (see [`bounds`] and [`retry`]).

mod advice;
pub mod api;
pub mod batch;
pub mod bounds;
pub mod client;
pub mod cloud;
pub mod error;
pub mod limiter;
pub mod pager;
pub mod query;
pub mod retry;
pub mod scan;
pub mod token;

pub use batch::{BatchRequest, BatchResponse, ItemBody, MAX_BATCH};
pub use bounds::{DEFAULT_REQUEST_DEADLINE, MAX_RESPONSE_BYTES};
pub use client::{GraphClient, GraphClientBuilder, GraphRequest, GraphResponse};
pub use cloud::Cloud;
pub use error::{ErrorDetails, ErrorKind, GraphError, RequestContext};
pub use limiter::{ConcurrencyLimiter, LimiterConfig, LimiterStats, Permit};
pub use pager::{Continuation, Page, Pager, RawPage};
pub use query::{ListQuery, Resource};
pub use reqwest::Method;
pub use retry::{
    Clock, MAX_RETRY_AFTER, RetryPolicy, SystemClock, VirtualClock, parse_retry_after,
};
pub use token::{AccessToken, BoxFuture, StaticToken, TokenError, TokenSource};
