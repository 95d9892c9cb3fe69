//! Fidelity check with Microsoft's own client: the Python `msgraph-sdk` (kiota) lists every user of the
//! emulator, following nextLinks with its `PageIterator`.
//!
//! Needs a Python with `msgraph-sdk` installed: set `ROSTER_MSGRAPH_PYTHON` to its interpreter (e.g. a
//! venv's `bin/python`), otherwise `python3` is tried. Without the package the test says so and passes.
#![allow(clippy::print_stderr)]

use crate::support::graph::env;

fn python() -> String {
    std::env::var("ROSTER_MSGRAPH_PYTHON").unwrap_or_else(|_| "python3".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_msgraph_sdk_lists_every_user() {
    let python = python();
    let probe = tokio::process::Command::new(&python)
        .args(["-c", "import msgraph"])
        .output()
        .await;
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "skipped: {python} cannot import msgraph (set ROSTER_MSGRAPH_PYTHON to a Python with msgraph-sdk)"
        );
        return;
    }
    let env = env().await;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/msgraph_list_users.py"
    );
    let output = tokio::process::Command::new(&python)
        .args([
            script,
            env.emu.base_url(),
            &env.token("admin", &["User.Read.All"]),
        ])
        .kill_on_drop(true)
        .output()
        .await
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(result["count"], 300);
    assert_eq!(result["first"], env.upn("admin"));
    let guests = env
        .emu
        .tenant()
        .read()
        .users()
        .iter()
        .filter(|u| u.upn().contains("#EXT#"))
        .count();
    assert_eq!(result["guests"], guests);
    assert_eq!(
        env.emu.stats().requests_by_route["GET /users"],
        300usize.div_ceil(50) as u64
    );
}
