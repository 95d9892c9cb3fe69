//! The `roster-emulator` binary as a process of its own, for tests in which every party is a separate
//! process (the emulator, a `roster` downloading, a `roster` cancelling it), and tokens minted through
//! its control endpoint.
//!
//! Another package's tests have no `CARGO_BIN_EXE_roster-emulator`, so [`binary`] builds the binary
//! (with the `harness` feature its control endpoints need) into the target dir the running test binary
//! came from; cargo answers at once when it is up to date.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::process::Running;

/// A running `roster-emulator` process, killed when dropped.
#[derive(Debug)]
pub struct EmulatorProcess {
    /// `http://127.0.0.1:PORT`: Graph, the identity platform and the control endpoints.
    pub base_url: String,
    /// The tenant's id.
    pub tenant_id: String,
    /// The tenant's domain.
    pub domain: String,
    process: Running,
}

impl EmulatorProcess {
    /// Starts `roster-emulator --listen 127.0.0.1:0 <args>` (flags in docs/emulator.md, e.g.
    /// `--users`, `--latency-ms`, `--throttle off`) and reads the address and tenant it prints.
    pub fn start(args: &[&str]) -> Self {
        let child = Command::new(binary())
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("roster-emulator starts");
        let mut process = Running::new(child);
        let stdout = process
            .child()
            .stdout
            .take()
            .expect("the emulator's stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let mut line = |prefix: &str| -> String {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("roster-emulator ended before printing '{prefix}'"))
                .expect("the emulator's stdout is text");
            line.strip_prefix(prefix)
                .unwrap_or_else(|| panic!("expected '{prefix}…', the emulator printed '{line}'"))
                .to_owned()
        };
        let base_url = line("listening on ");
        let tenant_id = line("tenant: ");
        let domain = line("domain: ");
        // Whatever else it prints is read and dropped, so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            base_url,
            tenant_id,
            domain,
            process,
        }
    }

    /// `account@<the tenant's domain>`.
    pub fn upn(&self, account: &str) -> String {
        format!("{account}@{}", self.domain)
    }

    /// A delegated access token for `account` with `scopes`, minted by `POST /_emulator/token`.
    pub async fn token(&self, account: &str, scopes: &[&str]) -> String {
        let answer: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/_emulator/token", self.base_url))
            .json(&serde_json::json!({ "upn": self.upn(account), "scopes": scopes }))
            .send()
            .await
            .expect("the control endpoint answers")
            .error_for_status()
            .expect("the control endpoint mints the token")
            .json()
            .await
            .expect("a JSON token answer");
        answer["access_token"]
            .as_str()
            .expect("the answer has an access_token")
            .to_owned()
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.process.id()
    }
}

/// The variables cargo (or nextest) sets for a running test besides `CARGO_PKG_*`.
const PACKAGE_ENVIRONMENT: [&str; 8] = [
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_RUSTC_CURRENT_DIR",
    "OUT_DIR",
];

/// The `roster-emulator` binary with the `harness` feature, built (once per test process) into the
/// target dir and profile of the running test binary.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(build)
}

fn build() -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test binary's path");
    // <target dir>/<profile dir>/deps/<test binary>
    let profile_dir = test_binary
        .parent()
        .and_then(Path::parent)
        .expect("the test binary lives in <target>/<profile>/deps");
    let target_dir = profile_dir.parent().expect("a target dir");
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev",
        Some(other) => other,
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../roster-emulator/Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    // What cargo sets for a running test describes the test's package, not this build: left in, build
    // scripts that watch such a variable (ring watches CARGO_MANIFEST_DIR) would see it change between
    // this build and the test build, and each would rebuild what the other built.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if PACKAGE_ENVIRONMENT.contains(&name.as_ref()) || name.starts_with("CARGO_PKG_") {
            command.env_remove(name.as_ref());
        }
    }
    let output = command
        .args([
            "build",
            "--locked",
            "--bin",
            "roster-emulator",
            "--features",
            "harness",
        ])
        .args(["--profile", profile, "--message-format", "json"])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo could not build roster-emulator"
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the roster-emulator executable")
}
