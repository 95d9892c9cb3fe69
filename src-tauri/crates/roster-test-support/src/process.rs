//! Running the `roster` binary against an emulator's Graph and identity platform, and reading what it
//! printed.

use std::path::{Path, PathBuf};
use std::process::Output;

/// A process's output as text (bytes that are not UTF-8 replaced).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether this run asked for the tests that need a real OS keyring (`ROSTER_KEYRING_TESTS=1`, inside
/// `keyctl session -` on Linux, as `scripts/test` runs them).
pub fn keyring_tests_requested() -> bool {
    std::env::var("ROSTER_KEYRING_TESTS").as_deref() == Ok("1")
}

/// The `roster` binary pointed at one emulator root for both Graph and the authority (`--graph-url`,
/// `--authority`, `--tenant`), its data in `data`, never with a ready-made access token from the
/// environment.
#[derive(Debug, Clone)]
pub struct SignedInRoster {
    binary: PathBuf,
    root: String,
    tenant: String,
    data: PathBuf,
}

impl SignedInRoster {
    /// `binary` is the test's `env!("CARGO_BIN_EXE_roster")`; `root` the emulator's base URL.
    pub fn new(binary: impl Into<PathBuf>, root: &str, tenant: &str, data: &Path) -> Self {
        Self {
            binary: binary.into(),
            root: root.to_owned(),
            tenant: tenant.to_owned(),
            data: data.to_owned(),
        }
    }

    /// Runs `roster <args>` to its end without blocking the runtime, so an in-process emulator keeps
    /// serving.
    pub async fn run(&self, args: &[&str]) -> Output {
        tokio::process::Command::new(&self.binary)
            .args(["--graph-url", &self.root, "--authority", &self.root])
            .args(["--tenant", &self.tenant])
            .arg("--data-dir")
            .arg(&self.data)
            .args(args)
            .env_remove("ROSTER_ACCESS_TOKEN")
            .output()
            .await
            .expect("roster runs")
    }

    /// `roster login --device-code`, which the emulator approves (`auto_approve`). Its output when it
    /// succeeded; `None` when the machine has no usable keyring and the run did not ask for one
    /// ([`keyring_tests_requested`]), after checking that the refusal exits 3 and names the keyring.
    pub async fn device_code_login(&self) -> Option<Output> {
        let login = self.run(&["login", "--device-code"]).await;
        let stderr = text(&login.stderr);
        if !keyring_tests_requested() && login.status.code() != Some(0) {
            assert_eq!(login.status.code(), Some(3), "{stderr}");
            assert!(stderr.contains("keyring"), "{stderr}");
            return None;
        }
        assert_eq!(login.status.code(), Some(0), "{stderr}");
        Some(login)
    }
}
