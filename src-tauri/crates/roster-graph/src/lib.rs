//! A typed Microsoft Graph v1.0 client for Roster: query building, a streaming pager with resumable
//! continuations, `$batch`, retries that honour `Retry-After`, adaptive concurrency, typed errors.

pub mod token;

pub use token::{AccessToken, BoxFuture, StaticToken, TokenError, TokenSource};
