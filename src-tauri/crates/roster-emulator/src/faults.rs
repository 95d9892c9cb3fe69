//! Injected failures (`--faults 429=0.05,503=0.02,504=0.01,reset=0.01`): seeded, so a run with the same
//! seed and request sequence fails the same requests, and changeable at run time.
//!
//! Besides Graph's own failures, a hostile server's behaviour for clients' defences: `drip` (the body
//! one byte every [`DRIP_INTERVAL`]), `huge` (a `200` of [`HUGE_BODY_BYTES`]), and `retry-after=SECS`
//! (any `u64`, e.g. a year or `18446744073709551615`) on the injected 429s and 503s.

use parking_lot::Mutex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use std::time::Duration;

use crate::config::ConfigError;

/// How long a dripping answer waits between two bytes of its body: slow enough that a body of a few
/// hundred bytes takes longer than any test waits, quick enough that no per-read timeout fires.
pub const DRIP_INTERVAL: Duration = Duration::from_millis(100);

/// The length of a `huge` answer: 80 MiB, more than any Graph response (a page is at most a few MB).
pub const HUGE_BODY_BYTES: u64 = 80 << 20;

/// Probabilities of each injected failure, per request.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FaultSpec {
    /// `429 TooManyRequests` with `Retry-After`.
    pub too_many_requests: f64,
    /// `503 Service Unavailable`.
    pub service_unavailable: f64,
    /// `504 Gateway Timeout`.
    pub gateway_timeout: f64,
    /// The connection drops in the middle of the response body.
    pub reset: f64,
    /// The real answer, its body sent one byte every [`DRIP_INTERVAL`] (a hostile or broken server
    /// that would hold a client for hours).
    pub drip: f64,
    /// A `200` whose JSON body is [`HUGE_BODY_BYTES`] long (a hostile server filling a client's memory).
    pub huge: f64,
    /// The `Retry-After` of injected 429 and 503 answers in seconds, instead of 2 and 1.
    pub retry_after: Option<u64>,
}

impl FaultSpec {
    /// No faults at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Whether any fault can happen.
    pub fn is_none(&self) -> bool {
        self.total() == 0.0
    }

    fn total(&self) -> f64 {
        self.too_many_requests
            + self.service_unavailable
            + self.gateway_timeout
            + self.reset
            + self.drip
            + self.huge
    }
}

impl std::fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "429={},503={},504={},reset={}",
            self.too_many_requests, self.service_unavailable, self.gateway_timeout, self.reset
        )?;
        if self.drip > 0.0 {
            write!(f, ",drip={}", self.drip)?;
        }
        if self.huge > 0.0 {
            write!(f, ",huge={}", self.huge)?;
        }
        if let Some(secs) = self.retry_after {
            write!(f, ",retry-after={secs}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for FaultSpec {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason: String| ConfigError::Faults {
            spec: s.to_owned(),
            reason,
        };
        let mut spec = FaultSpec::default();
        let trimmed = s.trim();
        if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("none") {
            return Ok(spec);
        }
        for part in trimmed.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| err(format!("'{part}' has no '='")))?;
            if name.trim().eq_ignore_ascii_case("retry-after") {
                let secs = value.trim().parse::<u64>().map_err(|_| {
                    err(format!(
                        "retry-after '{value}' is not a whole number of seconds"
                    ))
                })?;
                spec.retry_after = Some(secs);
                continue;
            }
            let p: f64 = value
                .trim()
                .parse()
                .map_err(|_| err(format!("'{value}' is not a number")))?;
            if !(0.0..=1.0).contains(&p) {
                return Err(err(format!("probability {p} is not between 0 and 1")));
            }
            match name.trim().to_ascii_lowercase().as_str() {
                "429" => spec.too_many_requests = p,
                "503" => spec.service_unavailable = p,
                "504" => spec.gateway_timeout = p,
                "reset" => spec.reset = p,
                "drip" => spec.drip = p,
                "huge" => spec.huge = p,
                other => {
                    return Err(err(format!(
                        "unknown fault '{other}' (use 429, 503, 504, reset, drip, huge or retry-after)"
                    )));
                }
            }
        }
        if spec.total() > 1.0 {
            return Err(err("the probabilities add up to more than 1".into()));
        }
        Ok(spec)
    }
}

/// A failure chosen for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer 429 with `Retry-After`.
    TooManyRequests,
    /// Answer 503.
    ServiceUnavailable,
    /// Answer 504.
    GatewayTimeout,
    /// Send part of the body, then drop the connection.
    Reset,
    /// Send the real answer's body one byte at a time.
    Drip,
    /// Answer `200` with a body of [`HUGE_BODY_BYTES`].
    Huge,
}

/// Draws faults from a seeded generator.
#[derive(Debug)]
pub struct FaultInjector {
    state: Mutex<(FaultSpec, ChaCha8Rng)>,
}

impl FaultInjector {
    /// An injector for `spec` seeded with `seed`.
    pub fn new(spec: FaultSpec, seed: u64) -> Self {
        Self {
            state: Mutex::new((spec, ChaCha8Rng::seed_from_u64(seed ^ 0xfa17_5eed))),
        }
    }

    /// Replaces the probabilities (the generator keeps its position).
    pub fn set(&self, spec: FaultSpec) {
        self.state.lock().0 = spec;
    }

    /// The current probabilities.
    pub fn spec(&self) -> FaultSpec {
        self.state.lock().0
    }

    /// The fault for the next request, if any.
    pub fn roll(&self) -> Option<Fault> {
        let mut state = self.state.lock();
        let (spec, rng) = &mut *state;
        if spec.is_none() {
            return None;
        }
        let x: f64 = rng.random();
        let mut edge = spec.too_many_requests;
        if x < edge {
            return Some(Fault::TooManyRequests);
        }
        edge += spec.service_unavailable;
        if x < edge {
            return Some(Fault::ServiceUnavailable);
        }
        edge += spec.gateway_timeout;
        if x < edge {
            return Some(Fault::GatewayTimeout);
        }
        edge += spec.reset;
        if x < edge {
            return Some(Fault::Reset);
        }
        edge += spec.drip;
        if x < edge {
            return Some(Fault::Drip);
        }
        edge += spec.huge;
        (x < edge).then_some(Fault::Huge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_spec_and_rejects_bad_ones() {
        let spec: FaultSpec = "429=0.05,503=0.02,504=0.01,reset=0.01"
            .parse()
            .unwrap_or_default();
        assert_eq!(spec.too_many_requests, 0.05);
        assert_eq!(spec.reset, 0.01);
        assert!("none".parse::<FaultSpec>().is_ok_and(|s| s.is_none()));
        assert!("429".parse::<FaultSpec>().is_err());
        assert!("429=2".parse::<FaultSpec>().is_err());
        assert!("500=0.1".parse::<FaultSpec>().is_err());
        assert!("429=0.6,503=0.6".parse::<FaultSpec>().is_err());
    }

    #[test]
    fn hostile_faults_parse_and_print() {
        let spec: FaultSpec = "429=1,retry-after=18446744073709551615"
            .parse()
            .unwrap_or_default();
        assert_eq!(spec.too_many_requests, 1.0);
        assert_eq!(spec.retry_after, Some(u64::MAX));
        let spec: FaultSpec = "drip=0.5,huge=0.5".parse().unwrap_or_default();
        assert_eq!((spec.drip, spec.huge), (0.5, 0.5));
        assert_eq!(
            spec.to_string(),
            "429=0,503=0,504=0,reset=0,drip=0.5,huge=0.5"
        );
        assert_eq!(spec.to_string().parse::<FaultSpec>().ok(), Some(spec));
        assert!("retry-after=soon".parse::<FaultSpec>().is_err());
        assert!("drip=0.6,huge=0.6".parse::<FaultSpec>().is_err());
        let injector = FaultInjector::new(
            FaultSpec {
                huge: 1.0,
                ..FaultSpec::none()
            },
            3,
        );
        assert_eq!(injector.roll(), Some(Fault::Huge));
    }

    #[test]
    fn rolls_are_seeded_and_follow_the_probabilities() {
        let spec = FaultSpec {
            too_many_requests: 0.5,
            ..FaultSpec::default()
        };
        let a = FaultInjector::new(spec, 1);
        let b = FaultInjector::new(spec, 1);
        let rolls_a: Vec<_> = (0..200).map(|_| a.roll()).collect();
        let rolls_b: Vec<_> = (0..200).map(|_| b.roll()).collect();
        assert_eq!(rolls_a, rolls_b);
        let hits = rolls_a.iter().filter(|r| r.is_some()).count();
        assert!((60..140).contains(&hits), "{hits}");
        a.set(FaultSpec {
            reset: 1.0,
            ..FaultSpec::default()
        });
        assert_eq!(a.roll(), Some(Fault::Reset));
        a.set(FaultSpec::none());
        assert_eq!(a.roll(), None);
    }
}
