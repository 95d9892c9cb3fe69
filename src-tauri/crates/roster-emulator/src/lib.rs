//! A local Microsoft Graph v1.0 and Microsoft identity platform, faithful enough that Roster's tests,
//! benchmarks and demo run against it instead of a real tenant.

pub mod identity;
