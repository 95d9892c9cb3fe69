//! Build script: records the commit for `roster --version` (see `build_commit.rs`).

include!("build_commit.rs");

fn main() {
    emit_commit();
}
