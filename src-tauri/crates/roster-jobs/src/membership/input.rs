//! Binding a membership job to its input: the SHA-256 of the member file, taken when the preview
//! is made and checked before every run. Rows are matched to their recorded outcomes by line, so
//! a file edited after the job started (rows deleted or reordered) would be reported as changes
//! never sent, and its undo file would be wrong: such a run is refused instead.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The SHA-256 of the file at `path`, in lower-case hex.
pub fn input_digest(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_sha256_of_the_bytes() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("m.csv");
        std::fs::write(&path, b"abc").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            input_digest(&path).ok().as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
    }
}
