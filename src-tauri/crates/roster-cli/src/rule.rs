//! `roster rule check` and `roster rule eval`: dynamic membership rules, offline (no sign-in, no
//! network).

use crate::cli::{Cli, CsvFormat};
use crate::exit::{Exit, Failure};
use crate::stdout;
use clap::{Args, Subcommand};
use roster_app::review;
use std::path::PathBuf;

/// `roster rule ...`.
#[derive(Debug, Subcommand)]
pub enum Rule {
    /// Check a rule's syntax and properties: exit 0 when valid, else exit 2 with the position and
    /// what is wrong there.
    Check(CheckArgs),
    /// Evaluate a rule on a users file: who matches, and with the group's members file who would
    /// join, leave or stay.
    Eval(EvalArgs),
}

/// `roster rule check` arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The rule, e.g. 'user.department -eq "Sales"'.
    #[arg(value_name = "RULE")]
    pub rule: String,
}

/// `roster rule eval` arguments.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The rule.
    #[arg(value_name = "RULE")]
    pub rule: String,
    /// The users file (Roster's download or the admin center's).
    #[arg(long, value_name = "FILE")]
    pub users: PathBuf,
    /// The group's current members (a members download): adds join, leave and stay; also what
    /// `user.memberOf` reads.
    #[arg(long, value_name = "FILE")]
    pub members: Option<PathBuf>,
    /// The group within a members file of several groups.
    #[arg(long, value_name = "ID", requires = "members")]
    pub group: Option<String>,
    /// Write the matching users (with --members: every joiner, leaver and stayer, with a change
    /// column) as CSV: their id, userPrincipalName and displayName.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// How the CSV is written.
    #[command(flatten)]
    pub format: CsvFormat,
}

/// Runs `roster rule ...`.
pub fn run(cli: &Cli, rule: &Rule) -> Result<Exit, Failure> {
    match rule {
        Rule::Check(args) => check(cli, args),
        Rule::Eval(args) => eval(cli, args),
    }
}

fn check(cli: &Cli, args: &CheckArgs) -> Result<Exit, Failure> {
    let checked = review::check_rule(&args.rule);
    if cli.json {
        let json = match &checked.error {
            None => serde_json::json!({ "valid": true, "properties": checked.properties }),
            Some(e) => serde_json::json!({
                "valid": false,
                "position": e.position,
                "message": e.text.english,
                "code": e.text.code,
            }),
        };
        stdout::write(&format!("{json}\n"));
        return Ok(if checked.valid {
            Exit::Done
        } else {
            Exit::BadInput
        });
    }
    match checked.error {
        None => {
            stdout::write(&format!("valid; reads {}\n", checked.properties.join(", ")));
            Ok(Exit::Done)
        }
        Some(e) => Err(Failure::input(format!(
            "at position {}: {}\n  {}\n  {}^",
            e.position,
            e.text.english,
            args.rule,
            " ".repeat(e.position.saturating_sub(1))
        ))),
    }
}

fn eval(cli: &Cli, args: &EvalArgs) -> Result<Exit, Failure> {
    let out = args
        .out
        .as_deref()
        .map(|path| (path, crate::review::writer_options(&args.format)));
    let run = review::evaluate_rule_files(
        &args.rule,
        &args.users,
        args.members.as_deref(),
        args.group.as_deref(),
        out,
    )?;
    let c = &run.counts;
    if cli.json {
        let mut json = serde_json::json!({ "evaluated": c.evaluated, "matched": c.matched });
        if let (Some(join), Some(leave), Some(stay)) = (c.join, c.leave, c.stay) {
            json["join"] = join.into();
            json["leave"] = leave.into();
            json["stay"] = stay.into();
        }
        stdout::write(&format!("{json}\n"));
    } else {
        let mut text = format!("{} of {} users match", c.matched, c.evaluated);
        if let (Some(join), Some(leave), Some(stay)) = (c.join, c.leave, c.stay) {
            text.push_str(&format!(
                ": {join} would join, {leave} would leave, {stay} stay"
            ));
        }
        text.push('\n');
        if let (Some(path), Some(rows)) = (&args.out, run.written) {
            text.push_str(&format!("{rows} rows written to {}\n", path.display()));
        }
        stdout::write(&text);
    }
    for notice in &run.notices {
        eprintln!("note: {notice}");
    }
    Ok(Exit::Done)
}
