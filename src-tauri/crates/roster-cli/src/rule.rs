//! `roster rule check` and `roster rule eval`: dynamic membership rules, offline.

use crate::cli::Cli;
use crate::exit::{Exit, Failure};
use clap::Subcommand;

/// `roster rule ...`.
#[derive(Debug, Subcommand)]
pub enum Rule {}

/// Runs `roster rule ...`.
pub fn run(_cli: &Cli, rule: &Rule) -> Result<Exit, Failure> {
    match *rule {}
}
