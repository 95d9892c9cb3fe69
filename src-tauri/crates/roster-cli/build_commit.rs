// The commit a build was made from, for `roster --version` and the app's About box. Included by the
// build scripts of `roster-cli` and `roster-desktop`, so both report the same commit.
//
// Sets `ROSTER_COMMIT` for the crate being built: `$ROSTER_COMMIT` when set (release builds from a
// source archive), else `git rev-parse --short HEAD`, else `unknown` (no git, or not a checkout).

/// Emits `cargo:rustc-env=ROSTER_COMMIT=…` and the rerun triggers that keep it current.
fn emit_commit() {
    println!("cargo:rerun-if-env-changed=ROSTER_COMMIT");
    let commit = std::env::var("ROSTER_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_head)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=ROSTER_COMMIT={}", commit.trim());
}

/// The short hash of HEAD, with rerun triggers so a new commit or checkout is picked up.
fn git_head() -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let head = git(&["rev-parse", "--short", "HEAD"])?;
    // HEAD, the branch it points at and packed-refs: the files a commit or checkout changes.
    // Only existing files: cargo reruns every build for a missing one.
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    let watched = ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref());
    for file in watched {
        if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", file])
            && std::path::Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    Some(head)
}
