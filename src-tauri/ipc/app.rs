//! DTOs of the `app_*` commands: facts about the running app.

use serde::Serialize;
use ts_rs::TS;

/// The running app's version and mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The package version, e.g. `0.1.0`.
    pub version: String,
    /// The commit the app was built from (`git rev-parse --short HEAD`), or `unknown` for a build
    /// outside a git checkout; the same as `roster --version` of the same build.
    pub commit: String,
    /// Started with `--demo` (or `ROSTER_DEMO=1`): signed in to the built-in demo tenant.
    pub demo: bool,
}
