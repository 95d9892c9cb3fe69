//! `roster-ipc-gen` (`cargo gen`): writes the UI's TypeScript IPC types, command table and event table
//! into `ui/src/lib/ipc/gen/` from the Rust IPC layer. A developer tool: built only with the
//! `ipc-gen` feature, never shipped.
#![allow(clippy::print_stdout, clippy::print_stderr)]

fn main() -> std::process::ExitCode {
    match roster_desktop::ipc::write_bindings() {
        Ok(files) => {
            println!("wrote {} files to ui/src/lib/ipc/gen", files.len());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
