//! `roster`: the Roster command line.

fn main() {}
