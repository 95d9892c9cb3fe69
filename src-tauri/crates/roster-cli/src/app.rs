//! What every command stands on, built from the global flags through the application API: the
//! profile's jobs (roster-app's `Jobs`) and, for commands that talk to Graph, a connection (the
//! demo tenant, `ROSTER_ACCESS_TOKEN`, app-only credentials or the signed-in account).

use crate::cli::Cli;
use crate::exit::Failure;
use roster_app::{Connection, Jobs, Profile};
use roster_graph::{AccessToken, Cloud, StaticToken};
use roster_jobs::RunnerConfig;
use std::sync::Arc;

/// Environment variable holding a ready access token (for scripts that sign in elsewhere);
/// it wins over the signed-in account.
pub const TOKEN_ENV: &str = "ROSTER_ACCESS_TOKEN";

/// The User-Agent of the CLI's Graph requests.
const USER_AGENT: &str = concat!("roster-cli/", env!("CARGO_PKG_VERSION"));

/// The pieces a command runs with.
pub struct App {
    /// `--json` was given.
    pub json: bool,
    /// The profile's jobs.
    pub jobs: Jobs,
    /// The tenant connection, for commands that talk to Graph.
    pub connection: Option<Connection>,
}

/// The profile of the global flags: `--data-dir` (else the OS app-data folder) and `--demo`.
pub fn profile(cli: &Cli) -> Profile {
    let dir = cli
        .data_dir
        .clone()
        .unwrap_or_else(Profile::default_data_dir);
    Profile::new(dir, cli.demo)
}

impl App {
    /// The app for a command that only works on the job history (no Graph calls).
    pub fn offline(cli: &Cli) -> Result<Self, Failure> {
        Ok(Self {
            json: cli.json,
            jobs: Jobs::open(&profile(cli), RunnerConfig::default())?,
            connection: None,
        })
    }

    /// The app for a command that talks to Graph.
    pub async fn connect(cli: &Cli) -> Result<Self, Failure> {
        let mut app = Self::offline(cli)?;
        app.connection = Some(connection(cli).await?);
        Ok(app)
    }

    /// The connection of an app built with [`App::connect`].
    pub fn connection(&self) -> Result<&Connection, Failure> {
        self.connection
            .as_ref()
            .ok_or_else(|| Failure::input("this command needs a sign-in"))
    }

    /// Stops the demo tenant, if any.
    pub async fn close(self) {
        let Self {
            jobs, connection, ..
        } = self;
        drop(jobs);
        if let Some(connection) = connection {
            connection.close().await;
        }
    }
}

/// The connection the global flags ask for: the demo tenant (`--demo`), `ROSTER_ACCESS_TOKEN`,
/// app-only credentials (`--client-secret-env`, `--client-certificate`) or the signed-in account
/// (`roster login`).
async fn connection(cli: &Cli) -> Result<Connection, Failure> {
    if cli.demo {
        return Ok(Connection::demo(Default::default(), USER_AGENT).await?);
    }
    if let Some(token) = std::env::var(TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        let root = cli
            .graph_url
            .clone()
            .unwrap_or_else(|| Cloud::Global.service_root().to_owned());
        let tokens = Arc::new(StaticToken(AccessToken::new(token.trim())));
        return Ok(Connection::tokens(&root, tokens, TOKEN_ENV, USER_AGENT)?);
    }
    let (tokens, root) = crate::signin::token_source(cli)?;
    Ok(Connection::tokens(
        &root,
        tokens,
        "the signed-in account",
        USER_AGENT,
    )?)
}
