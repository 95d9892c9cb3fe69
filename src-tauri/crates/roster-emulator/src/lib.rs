//! A local Microsoft Graph v1.0 and Microsoft identity platform, faithful enough that Roster's tests,
//! benchmarks and demo run against it instead of a real tenant.
//!
//! [`start`] generates a deterministic tenant from [`EmulatorConfig::seed`] and serves Graph under
//! `/v1.0` and the identity platform under `/{tenant}/…`. That is all Roster's built-in demo tenant
//! uses: [`start`], [`Emulator::mint_token`], [`Emulator::base_url`], [`Emulator::domain`],
//! [`Emulator::tenant_id`], [`Emulator::shutdown`].
//!
//! The test harness comes with the `harness` feature, which no shipping binary enables: the control
//! endpoints under `/_emulator/` (mint tokens, change faults, revoke, stats, audit), the test-only
//! settings ([`EmulatorConfig`]'s faults, auto-approved sign-ins, https listener, device-code interval),
//! the in-process controls (`Emulator::set_faults`, `Emulator::tenant`, ...) and the
//! `roster-emulator` binary.

pub mod config;
#[cfg(feature = "harness")]
pub mod control;
pub mod faults;
pub mod graph;
pub mod identity;
pub mod odata;
pub mod server;
pub mod stats;
pub mod tenant;
pub mod throttle;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::serve::ListenerExt as _;

pub use config::{ConfigError, EmulatorConfig, ThrottleMode};
pub use faults::FaultSpec;
pub use server::TEST_CLIENT_ID;
pub use stats::Stats;

#[cfg(feature = "harness")]
use identity::HttpsListener;
use identity::tokens::TokenSigner;
use identity::{IdentityOptions, IdentityState};
use server::AppState;
use tenant::{SharedTenant, Tenant};
use throttle::{Clock, SystemClock, Throttle};

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// The http address could not be bound.
    #[error(
        "could not listen on {addr}: {source}. Is another process using the port? Use port 0 for a free one."
    )]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The https listener could not start.
    #[cfg(feature = "harness")]
    #[error(transparent)]
    Https(#[from] identity::TlsError),
    /// Tenant generation panicked or was cancelled.
    #[error("generating the tenant failed: {0}")]
    Generate(String),
}

/// A running emulator. Stop it with [`Emulator::shutdown`].
#[derive(Debug)]
pub struct Emulator {
    base_url: String,
    tenant_id: String,
    domain: String,
    state: Arc<AppState>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
    #[cfg(feature = "harness")]
    https_base_url: Option<String>,
    #[cfg(feature = "harness")]
    https: Option<HttpsListener>,
}

/// Generates the tenant and starts serving; returns once the listeners accept connections.
pub async fn start(config: EmulatorConfig) -> Result<Emulator, EmulatorError> {
    start_on(config, Arc::new(SystemClock::default())).await
}

/// [`start`] with an injected throttling clock (tests move time instead of sleeping).
#[cfg(feature = "harness")]
pub async fn start_with_clock(
    config: EmulatorConfig,
    clock: Arc<dyn Clock>,
) -> Result<Emulator, EmulatorError> {
    start_on(config, clock).await
}

async fn start_on(
    config: EmulatorConfig,
    clock: Arc<dyn Clock>,
) -> Result<Emulator, EmulatorError> {
    let (seed, users, groups) = (config.seed, config.users, config.groups);
    let tenant = tokio::task::spawn_blocking(move || Tenant::generate(seed, users, groups))
        .await
        .map_err(|e| EmulatorError::Generate(e.to_string()))?;
    let user_count = tenant.users().len();
    let shared = SharedTenant::new(tenant);
    let signer = TokenSigner::new(config.seed);
    let identity = Arc::new(IdentityState::new(
        signer.clone(),
        Arc::new(shared.clone()),
        IdentityOptions {
            #[cfg(feature = "harness")]
            auto_approve: config.auto_approve.clone(),
            token_lifetime: config.token_lifetime,
            #[cfg(feature = "harness")]
            device_code_interval: config.device_code_interval,
            ..IdentityOptions::default()
        },
    ));
    #[cfg(feature = "harness")]
    let fault_spec = config.faults;
    #[cfg(not(feature = "harness"))]
    let fault_spec = FaultSpec::none();
    let state = Arc::new(AppState {
        throttle: Throttle::new(config.throttle, user_count, shared.tenant_id(), clock),
        faults: faults::FaultInjector::new(fault_spec, config.seed),
        tenant: shared.clone(),
        signer,
        stats: stats::StatsCollector::default(),
        identity,
        latency: std::time::Duration::from_millis(config.latency_ms),
        item_latency: std::time::Duration::from_micros(config.item_latency_us),
        token_lifetime: config.token_lifetime,
    });
    let app = server::router(state.clone());
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| EmulatorError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener
        .local_addr()
        .map_err(|source| EmulatorError::Bind {
            addr: config.listen,
            source,
        })?;
    #[cfg(feature = "harness")]
    let https = match config.https_listen {
        Some(addr) => Some(identity::serve_https(addr, app.clone()).await?),
        None => None,
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        // Streamed bodies go out in several writes: without TCP_NODELAY, Nagle's algorithm and delayed
        // ACKs would hold each one back for tens of milliseconds.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(Emulator {
        base_url: format!("http://{addr}"),
        tenant_id: shared.tenant_id().to_owned(),
        domain: shared.domain().to_owned(),
        state,
        shutdown: Some(tx),
        task,
        #[cfg(feature = "harness")]
        https_base_url: https.as_ref().map(HttpsListener::url),
        #[cfg(feature = "harness")]
        https,
    })
}

impl Emulator {
    /// The service root without version, e.g. `http://127.0.0.1:PORT`; Graph is under `/v1.0`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The tenant id (a GUID derived from the seed).
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// The tenant's initial domain, e.g. `contoso.onmicrosoft.com`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// A delegated access token for `upn` with `scopes` (valid for the configured token lifetime).
    pub fn mint_token(&self, upn: &str, scopes: &[&str]) -> String {
        self.state
            .mint_user_token(upn, scopes, self.state.token_lifetime.as_secs() as i64)
    }

    /// Stops the listeners and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        #[cfg(feature = "harness")]
        if let Some(https) = &self.https {
            https.shutdown();
        }
        let _ = (&mut self.task).await;
    }
}

/// The test harness's view and controls of a running emulator.
#[cfg(feature = "harness")]
impl Emulator {
    /// The https root, when an https listener was asked for.
    pub fn https_base_url(&self) -> Option<&str> {
        self.https_base_url.as_deref()
    }

    /// The self-signed certificate of the https listener (DER), to trust in clients.
    pub fn https_cert_der(&self) -> Option<&[u8]> {
        self.https.as_ref().map(|h| h.cert_der.as_slice())
    }

    /// The self-signed certificate of the https listener as PEM.
    pub fn https_cert_pem(&self) -> Option<&str> {
        self.https.as_ref().map(|h| h.cert_pem.as_str())
    }

    /// Writes the https listener's certificate as PEM to `path` (through `path.part`, renamed when
    /// complete), for tools that trust a CA bundle file (`REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`).
    /// Returns `Ok(false)` when there is no https listener.
    pub fn write_https_cert_pem(&self, path: &std::path::Path) -> std::io::Result<bool> {
        let Some(pem) = self.https_cert_pem() else {
            return Ok(false);
        };
        let mut part = path.as_os_str().to_owned();
        part.push(".part");
        std::fs::write(&part, pem)?;
        std::fs::rename(&part, path)?;
        Ok(true)
    }

    /// An app-only access token with application permissions `roles`.
    pub fn mint_app_token(&self, roles: &[&str]) -> String {
        self.state
            .mint_app_token(roles, self.state.token_lifetime.as_secs() as i64)
    }

    /// Changes the injected faults at run time.
    pub fn set_faults(&self, faults: FaultSpec) {
        self.state.faults.set(faults);
    }

    /// Turns throttling on or off at run time.
    pub fn set_throttle(&self, mode: ThrottleMode) {
        self.state.throttle.set_mode(mode);
    }

    /// Counters since start-up (the same data as `GET /_emulator/stats`).
    pub fn stats(&self) -> Stats {
        self.state.stats.snapshot()
    }

    /// The directory, for tests that need to look at it directly.
    pub fn tenant(&self) -> &SharedTenant {
        &self.state.tenant
    }

    /// The identity platform's state (e.g. to revoke refresh tokens).
    pub fn identity(&self) -> &Arc<IdentityState> {
        &self.state.identity
    }
}
