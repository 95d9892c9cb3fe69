//! What every command needs: the job store, a Graph client with a token, and (with `--demo`)
//! the in-process emulator tenant.

use crate::cli::Cli;
use crate::exit::{Exit, Failure};
use roster_emulator::{Emulator, EmulatorConfig};
use roster_graph::{AccessToken, Cloud, ConcurrencyLimiter, GraphClient, StaticToken, TokenSource};
use roster_jobs::{Runner, RunnerConfig};
use roster_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// Delegated scopes of the demo admin's token.
const DEMO_SCOPES: &[&str] = &[
    "User.Read.All",
    "Group.Read.All",
    "GroupMember.Read.All",
    "GroupMember.ReadWrite.All",
    "Directory.Read.All",
    "Device.Read.All",
    "Application.Read.All",
    "OrgContact.Read.All",
    "UserAuthenticationMethod.Read.All",
    "Member.Read.Hidden",
];

/// Environment variable holding a ready access token (for scripts that sign in elsewhere);
/// it wins over the signed-in account.
pub const TOKEN_ENV: &str = "ROSTER_ACCESS_TOKEN";

/// The pieces a command runs with.
pub struct App {
    /// `--json` was given.
    pub json: bool,
    /// The job runner (owns the store and the Graph client).
    pub runner: Runner,
    /// The demo tenant, kept alive while the command runs.
    pub demo: Option<Emulator>,
}

/// The folder of the job database: `--data-dir`, else the OS app-data folder.
pub fn data_dir(cli: &Cli) -> Result<PathBuf, Failure> {
    if let Some(dir) = &cli.data_dir {
        return Ok(dir.clone());
    }
    dirs::data_dir().map(|d| d.join("roster")).ok_or_else(|| {
        Failure::input("no application data folder is known on this system; pass --data-dir DIR")
    })
}

/// Opens the store (the demo has its own database so demo jobs never mix with real ones) and
/// marks jobs left `running` by a roster process that is gone (killed, crashed) `interrupted`,
/// so `jobs list` shows them as such and `jobs resume` continues them. Jobs still running in
/// another process are left alone.
pub fn open_store(cli: &Cli) -> Result<Arc<Store>, Failure> {
    let dir = data_dir(cli)?;
    let file = if cli.demo {
        dir.join("demo").join("jobs.sqlite")
    } else {
        dir.join("jobs.sqlite")
    };
    let store = Store::open(&file)?;
    store.mark_interrupted()?;
    Ok(Arc::new(store))
}

impl App {
    /// Builds the app for a command that talks to Graph.
    pub async fn connect(cli: &Cli) -> Result<Self, Failure> {
        let store = open_store(cli)?;
        let (client, demo) = graph_client(cli, None).await?;
        let runner = Runner::new(store, client, RunnerConfig::default());
        Ok(Self {
            json: cli.json,
            runner,
            demo,
        })
    }

    /// Builds the app for a command that only reads the job list (no Graph calls needed, but
    /// `resume` may make them: it uses [`App::connect`]).
    pub fn offline(cli: &Cli) -> Result<Self, Failure> {
        let store = open_store(cli)?;
        let client = build_client(
            Cloud::Global.service_root(),
            Arc::new(StaticToken(AccessToken::new(String::new()))),
            None,
        )?;
        Ok(Self {
            json: cli.json,
            runner: Runner::new(store, client, RunnerConfig::default()),
            demo: None,
        })
    }

    /// Stops the demo tenant, if any.
    pub async fn close(self) {
        let Self { runner, demo, .. } = self;
        drop(runner);
        if let Some(emu) = demo {
            emu.shutdown().await;
        }
    }
}

/// The Graph client a command uses, from the global flags: the demo tenant (`--demo`, returned
/// too so it lives as long as the command), `ROSTER_ACCESS_TOKEN`, app-only credentials
/// (`--client-secret-env`) or the signed-in account (`roster login`).
///
/// `limiter` replaces the client's default concurrency limiter (write jobs pace themselves by the
/// write bucket: `roster_jobs::membership::write_limiter_config`).
pub async fn graph_client(
    cli: &Cli,
    limiter: Option<ConcurrencyLimiter>,
) -> Result<(GraphClient, Option<Emulator>), Failure> {
    if cli.demo {
        let emu = roster_emulator::start(EmulatorConfig::default())
            .await
            .map_err(|e| {
                Failure::new(Exit::Graph, format!("the demo tenant could not start: {e}"))
            })?;
        let token = emu.mint_token(&format!("admin@{}", emu.domain()), DEMO_SCOPES);
        let client = build_client(
            emu.base_url(),
            Arc::new(StaticToken(AccessToken::new(token))),
            limiter,
        )?;
        return Ok((client, Some(emu)));
    }
    let client = match std::env::var(TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        Some(token) => {
            let root = cli
                .graph_url
                .clone()
                .unwrap_or_else(|| Cloud::Global.service_root().to_owned());
            build_client(
                &root,
                Arc::new(StaticToken(AccessToken::new(token.trim()))),
                limiter,
            )?
        }
        None => {
            let (tokens, root) = crate::signin::token_source(cli)?;
            build_client(&root, tokens, limiter)?
        }
    };
    Ok((client, None))
}

fn build_client(
    root: &str,
    tokens: Arc<dyn TokenSource>,
    limiter: Option<ConcurrencyLimiter>,
) -> Result<GraphClient, Failure> {
    let builder = GraphClient::builder(root, tokens);
    let builder = match limiter {
        Some(limiter) => builder.limiter(limiter),
        None => builder,
    };
    builder
        .user_agent(concat!("roster-cli/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Failure::input(format!("--graph-url: {e}")))
}
