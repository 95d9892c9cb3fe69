//! `roster`: the Roster command line. See `roster --help` for commands and exit codes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod app;
mod cli;
mod download;
mod exit;
mod follow;
mod jobs;
mod members;
mod review;
mod rule;
mod signin;
mod stdout;

use clap::Parser;
use cli::{Cli, Command};
use exit::{Exit, Failure};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROSTER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start: {e}");
            return std::process::ExitCode::from(Exit::Graph as u8);
        }
    };
    let exit = match runtime.block_on(run(&cli)) {
        Ok(exit) => exit,
        Err(failure) => {
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "error": failure.message, "exitCode": failure.exit as u8 })
                );
            }
            eprintln!("error: {failure}");
            failure.exit
        }
    };
    std::process::ExitCode::from(exit as u8)
}

async fn run(cli: &Cli) -> Result<Exit, Failure> {
    match &cli.command {
        Command::Download(download) => {
            let app = app::App::connect(cli).await?;
            let exit = download::run(&app, download).await;
            app.close().await;
            exit
        }
        Command::Jobs(jobs) => jobs::run(cli, jobs).await,
        Command::Members(members) => members::run(cli, members).await,
        Command::Login(login) => signin::login(cli, login).await,
        Command::Logout => signin::logout(cli),
        Command::Whoami => signin::whoami(cli),
        Command::Accounts => signin::accounts(cli),
        Command::Review(review) => review::run(cli, review),
        Command::Diff(args) => review::diff(cli, args),
        Command::Rule(rule) => rule::run(cli, rule),
    }
}
