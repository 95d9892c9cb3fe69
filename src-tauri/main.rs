//! The Roster desktop app's entry point: reads the command line, then hands over to the library.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

use roster_desktop::AppOptions;

const USAGE: &str = "\
Roster: bulk operations on Microsoft Entra ID.

Usage: roster-desktop [--demo] [--data-dir DIR] [--authority URL] [--graph-url URL]

Options:
  --demo            start signed in to the built-in demo tenant (also: ROSTER_DEMO=1)
  --data-dir DIR    where the job history and settings live (also: ROSTER_DATA_DIR;
                    default: the OS's app data folder, the same as the roster CLI's)
  --authority URL   sign in to this identity platform instead of a Microsoft cloud,
                    e.g. the emulator's http://127.0.0.1:PORT (also: ROSTER_AUTHORITY)
  --graph-url URL   the Microsoft Graph root that goes with it (also: ROSTER_GRAPH_URL;
                    default: the authority)
  -h, --help   print this help
  -V, --version
";

#[allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary's own command line"
)]
fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROSTER_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let mut options = AppOptions {
        demo: std::env::var("ROSTER_DEMO").is_ok_and(|v| v == "1"),
        data_dir: std::env::var_os("ROSTER_DATA_DIR")
            .filter(|dir| !dir.is_empty())
            .map_or_else(AppOptions::default_data_dir, PathBuf::from),
        authority: non_empty_env("ROSTER_AUTHORITY"),
        graph_url: non_empty_env("ROSTER_GRAPH_URL"),
        policy_file: roster_app::updates::machine_policy_file(),
    };
    // args_os: a folder name need not be valid Unicode (std::env::args panics on one).
    let mut args = std::env::args_os().skip(1);
    if args.len() > 0 {
        attach_to_parent_console();
    }
    while let Some(arg_os) = args.next() {
        let arg = arg_os.to_string_lossy().into_owned();
        match arg.as_str() {
            "--demo" => options.demo = true,
            "--data-dir" => match args.next() {
                Some(dir) => options.data_dir = PathBuf::from(dir),
                None => {
                    eprintln!("roster-desktop: --data-dir needs a folder\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--authority" | "--graph-url" => match args
                .next()
                .and_then(|url| url.into_string().ok())
                .filter(|url| is_http_url(url))
            {
                Some(url) if arg == "--authority" => options.authority = Some(url),
                Some(url) => options.graph_url = Some(url),
                None => {
                    eprintln!(
                        "roster-desktop: {arg} needs an http:// or https:// URL, e.g. http://127.0.0.1:8080\n\n{USAGE}"
                    );
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "-V" | "--version" => {
                // The same version and commit as `roster --version` and the About box.
                println!(
                    "roster-desktop {} ({})",
                    env!("CARGO_PKG_VERSION"),
                    env!("ROSTER_COMMIT")
                );
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("roster-desktop: unknown argument '{other}'\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }

    match roster_desktop::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("roster-desktop: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Lets `--version`, `--help` and argument errors reach the console the app was started from.
///
/// A Windows release build is a GUI-subsystem program (`windows_subsystem = "windows"`, so no
/// console window opens with the app), and such a program starts without a console: what it
/// prints goes nowhere. `AttachConsole(ATTACH_PARENT_PROCESS)` attaches it to its parent's console
/// when there is one (a Command Prompt or PowerShell); it fails harmlessly when there is none (a
/// start from Explorer) or when the program already has one (a debug build, a redirected output).
/// std looks the standard handles up on every write, so later prints use the attached console.
#[cfg(windows)]
#[allow(
    unsafe_code,
    reason = "one Win32 call with no pointers; its failure is ignored on purpose"
)]
fn attach_to_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: AttachConsole takes a process id by value and touches no memory of ours.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

/// Other systems give a program its parent's terminal.
#[cfg(not(windows))]
fn attach_to_parent_console() {}

/// The environment variable `name` when it is set and not empty.
fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// Whether `text` looks like an absolute http(s) URL.
fn is_http_url(text: &str) -> bool {
    url::Url::parse(text)
        .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
}
