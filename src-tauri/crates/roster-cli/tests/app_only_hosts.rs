//! App-only sign-in as an Azure host's managed identity and through the Azure CLI, with the real
//! binary against the emulator.
//!
//! - Managed identity: the emulator serves the App Service endpoint (`/msi/token`); the test points
//!   `IDENTITY_ENDPOINT` / `IDENTITY_HEADER` at it, as App Service does for a real app.
//! - Azure CLI: `az` itself is not run here. A scripted `az` on the child's PATH answers
//!   `az account get-access-token -o json` with a real token it fetches from the emulator's control
//!   endpoint, so what is tested is azure_identity's AzureCliCredential calling `az` and Roster
//!   downloading with the token it returns.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{download_users_args, read_csv, roster, text};
use roster_emulator::identity::managed_identity::{MANAGED_IDENTITY_HEADER, MANAGED_IDENTITY_PATH};
use roster_test_support::tenant::start_small;

const USERS: usize = 120;

/// `roster --graph-url ROOT <flag> download users` with its data in `dir/data` and `env` added to its
/// environment (no Azure host variables of the test's own); its output and the file it wrote.
async fn download_users(
    root: &str,
    dir: &Path,
    flag: &str,
    env: &[(&str, String)],
) -> (Output, PathBuf) {
    let out = dir.join("users.csv");
    let mut args = vec!["--graph-url", root, flag];
    args.extend(download_users_args(&out));
    let mut command = roster(&dir.join("data")).command(&args);
    command
        .env_remove("IDENTITY_ENDPOINT")
        .env_remove("IDENTITY_HEADER")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    let output = tokio::process::Command::from(command)
        .output()
        .await
        .expect("roster runs");
    (output, out)
}

/// The data rows of a downloaded CSV.
fn rows(csv: &Path) -> usize {
    read_csv(csv).len() - 1
}

#[tokio::test(flavor = "multi_thread")]
async fn managed_identity_on_an_app_service_host_downloads_users() {
    let emu = start_small(USERS, 20).await;
    let root = emu.base_url().to_owned();
    let endpoint = format!("{root}{MANAGED_IDENTITY_PATH}");
    let dir = tempfile::tempdir().unwrap();

    let (output, csv) = download_users(
        &root,
        dir.path(),
        "--managed-identity",
        &[
            ("IDENTITY_ENDPOINT", endpoint.clone()),
            ("IDENTITY_HEADER", MANAGED_IDENTITY_HEADER.to_owned()),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(rows(&csv), USERS);

    let refused = tempfile::tempdir().unwrap();
    let (output, _) = download_users(
        &root,
        refused.path(),
        "--managed-identity",
        &[
            ("IDENTITY_ENDPOINT", endpoint),
            ("IDENTITY_HEADER", "not-the-header".to_owned()),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("managed identity"),
        "{}",
        text(&output.stderr)
    );
    emu.shutdown().await;
}

/// A stand-in for the Azure CLI: answers `az account get-access-token` with a token the emulator at
/// `$ROSTER_TEST_EMULATOR` mints for the app roles a Graph reader needs.
const SCRIPTED_AZ: &str = r#"#!/bin/sh
case "$*" in
  *"account get-access-token"*"-o json"*) ;;
  *) echo "scripted az: unexpected arguments: $*" >&2; exit 2 ;;
esac
body=$(curl -sf -X POST -H 'content-type: application/json' \
  -d '{"roles":["User.Read.All","Group.Read.All"]}' "$ROSTER_TEST_EMULATOR/_emulator/token") || exit 1
token=$(printf '%s' "$body" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
expires=$(( $(date +%s) + 3600 ))
printf '{"accessToken":"%s","expires_on":%s,"tokenType":"Bearer","tenant":"emulator"}\n' "$token" "$expires"
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_azure_cli_credential_runs_az_and_downloads_with_its_token() {
    let emu = start_small(USERS, 20).await;
    let root = emu.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let az = bin.join("az");
    std::fs::write(&az, SCRIPTED_AZ).unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let (output, csv) = download_users(
        &root,
        dir.path(),
        "--azure-cli",
        &[
            ("PATH", path.clone()),
            ("ROSTER_TEST_EMULATOR", root.clone()),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(rows(&csv), USERS);

    // An `az` that is signed out: a clear failure, not a hang or a panic.
    std::fs::write(
        &az,
        "#!/bin/sh\necho 'Please run az login to setup account.' >&2\nexit 1\n",
    )
    .unwrap();
    let (output, _) = download_users(&root, dir.path(), "--azure-cli", &[("PATH", path)]).await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("Azure CLI"),
        "{}",
        text(&output.stderr)
    );
    emu.shutdown().await;
}
