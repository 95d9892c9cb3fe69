//! Build script: lets tauri-build generate the app context from the root `tauri.conf.json`, and
//! records the commit for the About box (`ROSTER_COMMIT`, shared with the CLI's build script).

include!("crates/roster-cli/build_commit.rs");

fn main() {
    emit_commit();
    tauri_build::build();
}
