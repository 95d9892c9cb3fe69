//! `roster-emulator`: runs the local Graph and identity platform as a process.

fn main() {}
