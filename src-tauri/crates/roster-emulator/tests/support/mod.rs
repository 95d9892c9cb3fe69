//! What the tests of this binary share beyond roster-test-support: the Graph tests' environment and
//! the identity-platform tests' hand-made OAuth requests.

pub mod graph;
pub mod identity;
