//! The emulator's configuration: what `roster-emulator`'s flags set and what tests pass to [`crate::start`].
//! The demo tenant's shape (size, seed, pace, throttling, token lifetime) is always there; what only
//! tests set (faults, auto-approved sign-ins, the https listener, the device-code interval) comes with
//! the `harness` feature.

use std::net::SocketAddr;
use std::time::Duration;

#[cfg(feature = "harness")]
use crate::faults::FaultSpec;

/// Whether Graph's service limits (graph-api.md §8.3) are enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThrottleMode {
    /// Never throttle (every response still carries `x-ms-resource-unit`).
    Off,
    /// Resource-unit and write buckets per app and tenant, as Graph does.
    #[default]
    Graph,
}

impl std::str::FromStr for ThrottleMode {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "off" => Ok(ThrottleMode::Off),
            "graph" => Ok(ThrottleMode::Graph),
            _ => Err(ConfigError::Throttle(s.to_owned())),
        }
    }
}

/// A configuration value that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `--throttle` was neither `off` nor `graph`.
    #[error("unknown throttle mode '{0}': use 'off' or 'graph'")]
    Throttle(String),
    /// `--faults` did not parse.
    #[error(
        "invalid fault spec '{spec}': {reason} (expected e.g. '429=0.05,503=0.02,504=0.01,reset=0.01')"
    )]
    Faults {
        /// The text given.
        spec: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// Everything [`crate::start`] needs. `Default` gives a small, quiet tenant on a random local port.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Address of the plain-http listener (port 0 = pick a free one).
    pub listen: SocketAddr,
    /// Seed of the generated tenant (same seed and sizes, same tenant).
    pub seed: u64,
    /// Number of users.
    pub users: usize,
    /// Number of groups.
    pub groups: usize,
    /// Added latency per request, in milliseconds, spent before the first byte of the response.
    pub latency_ms: u64,
    /// Added cost per object served, in microseconds, paid before the first byte with the latency:
    /// Graph assembles a page before it sends it. Only applies when `latency_ms` is not 0.
    pub item_latency_us: u64,
    /// Throttling on or off.
    pub throttle: ThrottleMode,
    /// Lifetime of issued access tokens.
    pub token_lifetime: Duration,
    /// Injected failures (test harness).
    #[cfg(feature = "harness")]
    pub faults: FaultSpec,
    /// UPN that completes browser/device sign-ins without showing a page (test harness).
    #[cfg(feature = "harness")]
    pub auto_approve: Option<String>,
    /// Address of the optional self-signed https listener (test harness: `azure_identity` only
    /// accepts https authorities).
    #[cfg(feature = "harness")]
    pub https_listen: Option<SocketAddr>,
    /// Device-code polling `interval` the identity platform asks clients for (Entra: 5 s; test
    /// harness: tests shorten it).
    #[cfg(feature = "harness")]
    pub device_code_interval: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 1,
            users: 2000,
            groups: 200,
            latency_ms: 0,
            item_latency_us: 20,
            throttle: ThrottleMode::Graph,
            token_lifetime: Duration::from_secs(3600),
            #[cfg(feature = "harness")]
            faults: FaultSpec::default(),
            #[cfg(feature = "harness")]
            auto_approve: None,
            #[cfg(feature = "harness")]
            https_listen: None,
            #[cfg(feature = "harness")]
            device_code_interval: Duration::from_secs(5),
        }
    }
}
