//! Writing a command's report to stdout without panicking when the reader goes away
//! (`roster review stats big.csv | head`): a closed pipe ends the output quietly.

use std::io::Write;

/// Writes `text` to stdout; a closed pipe is not an error.
pub fn write(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
