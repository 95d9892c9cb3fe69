//! Running the `roster` binary as a person or a script would (against the demo tenant, an emulator's
//! Graph with a ready-made token, or signed in through an emulator's identity platform), reading what
//! it printed, and child processes that never outlive their test.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A process's output as text (bytes that are not UTF-8 replaced).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The exit code of a finished process; panics (with its stderr) when a signal ended it.
pub fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("ended by a signal: {}", text(&output.stderr)))
}

/// Whether this run asked for the tests that need a real OS keyring (`ROSTER_KEYRING_TESTS=1`, inside
/// `keyctl session -` on Linux, as `scripts/test` runs them).
pub fn keyring_tests_requested() -> bool {
    std::env::var("ROSTER_KEYRING_TESTS").as_deref() == Ok("1")
}

/// The environment variables `roster` reads its settings from; none reaches it from the test's own
/// environment.
const ROSTER_ENVIRONMENT: [&str; 6] = [
    "ROSTER_ACCESS_TOKEN",
    "ROSTER_GRAPH_URL",
    "ROSTER_AUTHORITY",
    "ROSTER_TENANT",
    "ROSTER_CLIENT_ID",
    "ROSTER_DATA_DIR",
];

/// How a `roster` process reaches Graph.
#[derive(Debug, Clone)]
enum Reach {
    /// Nothing set: `--demo` among the arguments, a command that needs no Graph, or one that fails for
    /// want of a sign-in.
    Nothing,
    /// `ROSTER_GRAPH_URL` and `ROSTER_ACCESS_TOKEN`, as a script with its own token runs it.
    Token { graph_url: String, token: String },
    /// `--graph-url`, `--authority` and `--tenant` on one emulator root: the saved sign-in.
    SignIn { root: String, tenant: String },
}

/// The `roster` binary with its data (job history, accounts) in one folder, never reading Graph
/// settings or a token from the test's own environment.
#[derive(Debug, Clone)]
pub struct Roster {
    binary: PathBuf,
    data: PathBuf,
    reach: Reach,
}

impl Roster {
    /// `binary` is the test's `env!("CARGO_BIN_EXE_roster")`; `data` its `--data-dir`. Reaches no
    /// Graph by itself: pass `--demo` for the demo tenant.
    pub fn new(binary: impl Into<PathBuf>, data: &Path) -> Self {
        Self {
            binary: binary.into(),
            data: data.to_owned(),
            reach: Reach::Nothing,
        }
    }

    /// Calls Graph at `graph_url` with `token` (through the environment, as scripts do).
    pub fn with_token(self, graph_url: &str, token: &str) -> Self {
        Self {
            reach: Reach::Token {
                graph_url: graph_url.to_owned(),
                token: token.to_owned(),
            },
            ..self
        }
    }

    /// Signs in through the emulator at `root` (Graph and authority) for `tenant`.
    pub fn signing_in(self, root: &str, tenant: &str) -> Self {
        Self {
            reach: Reach::SignIn {
                root: root.to_owned(),
                tenant: tenant.to_owned(),
            },
            ..self
        }
    }

    /// The `--data-dir`.
    pub fn data(&self) -> &Path {
        &self.data
    }

    /// `roster <args>` ready to run, stdin closed (so it never waits for a person).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        for setting in ROSTER_ENVIRONMENT {
            command.env_remove(setting);
        }
        command.stdin(Stdio::null());
        match &self.reach {
            Reach::Nothing => {}
            Reach::Token { graph_url, token } => {
                command
                    .env("ROSTER_GRAPH_URL", graph_url)
                    .env("ROSTER_ACCESS_TOKEN", token);
            }
            Reach::SignIn { root, tenant } => {
                command
                    .args(["--graph-url", root, "--authority", root])
                    .args(["--tenant", tenant]);
            }
        }
        command.arg("--data-dir").arg(&self.data).args(args);
        command
    }

    /// Runs `roster <args>` to its end, blocking the thread (for tests without an in-process emulator).
    pub fn run_blocking(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("roster runs")
    }

    /// Runs `roster <args>` to its end without blocking the runtime, so an in-process emulator keeps
    /// serving.
    pub async fn run(&self, args: &[&str]) -> Output {
        tokio::process::Command::from(self.command(args))
            .output()
            .await
            .expect("roster runs")
    }

    /// Starts `roster <args>` in the background (stdout discarded, stderr to the test's); it is
    /// killed when the returned guard drops.
    pub fn spawn(&self, args: &[&str]) -> Running {
        let child = self
            .command(args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("roster starts");
        Running::new(child)
    }

    /// The job history as `roster --json jobs list` prints it, newest first.
    pub async fn jobs(&self) -> Vec<Value> {
        let listed = self.run(&["--json", "jobs", "list"]).await;
        assert_eq!(code(&listed), 0, "{}", text(&listed.stderr));
        match serde_json::from_slice(&listed.stdout).expect("jobs list prints JSON") {
            Value::Array(jobs) => jobs,
            other => panic!("jobs list printed {other}, not an array"),
        }
    }

    /// Polls `roster --json jobs list` until its newest job is one `ready` accepts, and returns that
    /// job; panics when none is after `limit`. `ready` may assert on every job it sees.
    pub async fn wait_for_job(
        &self,
        limit: Duration,
        mut ready: impl FnMut(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(job) = self.jobs().await.into_iter().next()
                && ready(&job)
            {
                return job;
            }
            assert!(
                Instant::now() < deadline,
                "no job was ready after {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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

/// A child process that is killed (by its id) and reaped when this guard drops, so a test that fails
/// half-way leaves no process behind.
#[derive(Debug)]
pub struct Running {
    child: Child,
}

impl Running {
    /// Guards `child`.
    pub fn new(child: Child) -> Self {
        Self { child }
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The child, e.g. to take its stdout.
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Kills it now (SIGKILL: it records nothing) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits, polling without blocking the runtime, for the process to end by itself; panics when it
    /// is still running after `limit`.
    pub async fn exits_within(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited on") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "process {} still running after {limit:?}",
                self.id()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}
