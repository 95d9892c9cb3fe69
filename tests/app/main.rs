//! Root integration tests of the desktop package (command-level, no window).
