//! `roster-emulator`: runs the local Graph and identity platform as a process, for tests, scripts and
//! developers; built with the `harness` feature (`cargo run -p roster-emulator --features harness`).
//!
//! The first line on stdout is exactly `listening on http://127.0.0.1:PORT`, then `tenant: <id>` and
//! `domain: <domain>`; scripts parse these. With `--https-listen`, `https: <url>` and
//! `https-cert: <path of the certificate as PEM>` follow.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use roster_emulator::{EmulatorConfig, FaultSpec, ThrottleMode};

/// A local Microsoft Graph + identity platform with a generated tenant.
#[derive(Debug, Parser)]
#[command(name = "roster-emulator", version)]
struct Args {
    /// Address of the http listener (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Seed of the generated tenant: same flags, same tenant.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of users.
    #[arg(long, default_value_t = 2000)]
    users: usize,
    /// Number of groups.
    #[arg(long, default_value_t = 200)]
    groups: usize,
    /// Added latency per request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Added cost per object served, in microseconds, paid before the response's first byte like
    /// the latency (only with `--latency-ms`; `--latency-ms 200 --item-latency-us 800` gives a
    /// page of 999 users about a second, as on a real tenant).
    #[arg(long, default_value_t = 20)]
    item_latency_us: u64,
    /// Throttling: `graph` (Graph's limits) or `off`.
    #[arg(long, default_value = "graph")]
    throttle: ThrottleMode,
    /// Injected faults, e.g. `429=0.05,503=0.02,504=0.01,reset=0.01`; a hostile server's too:
    /// `drip=P` (bodies one byte at a time), `huge=P` (80 MiB answers), `retry-after=SECS`.
    #[arg(long, default_value = "none")]
    faults: FaultSpec,
    /// UPN that completes browser and device-code sign-ins without showing a page.
    #[arg(long)]
    auto_approve: Option<String>,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime: u64,
    /// Also serve over https (self-signed) on this address; the certificate is written as PEM to a
    /// temporary file named on the `https-cert:` line.
    #[arg(long)]
    https_listen: Option<SocketAddr>,
    /// Device-code polling interval the identity platform asks clients for, in seconds.
    #[arg(long, default_value_t = 5)]
    device_code_interval: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = EmulatorConfig {
        listen: args.listen,
        seed: args.seed,
        users: args.users,
        groups: args.groups,
        latency_ms: args.latency_ms,
        item_latency_us: args.item_latency_us,
        throttle: args.throttle,
        faults: args.faults,
        auto_approve: args.auto_approve,
        token_lifetime: Duration::from_secs(args.token_lifetime),
        https_listen: args.https_listen,
        device_code_interval: Duration::from_secs(args.device_code_interval),
    };
    let emulator = match roster_emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("roster-emulator: {e}");
            }
            return ExitCode::FAILURE;
        }
    };
    #[allow(clippy::print_stdout)]
    {
        println!("listening on {}", emulator.base_url());
        println!("tenant: {}", emulator.tenant_id());
        println!("domain: {}", emulator.domain());
        if let Some(https) = emulator.https_base_url() {
            println!("https: {https}");
        }
    }
    let cert_path = std::env::temp_dir().join(format!(
        "roster-emulator-{}-https-cert.pem",
        std::process::id()
    ));
    let cert_written = match emulator.write_https_cert_pem(&cert_path) {
        Ok(written) => written,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "roster-emulator: could not write the https certificate to {}: {e}",
                    cert_path.display()
                );
            }
            emulator.shutdown().await;
            return ExitCode::FAILURE;
        }
    };
    if cert_written {
        #[allow(clippy::print_stdout)]
        {
            println!("https-cert: {}", cert_path.display());
        }
    }
    let _ = std::io::stdout().flush();
    let _ = tokio::signal::ctrl_c().await;
    emulator.shutdown().await;
    if cert_written {
        let _ = std::fs::remove_file(&cert_path);
    }
    ExitCode::SUCCESS
}
