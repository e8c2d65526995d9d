//! Replays, natively, every crash input kept in `fuzz/regressions/<target>/` and every input of the
//! committed corpora in `fuzz/corpus/<target>/`, through the same checks the fuzz targets run
//! (fuzz/src/lib.rs). A crash found once by `make fuzz` is thereby tested by every `cargo test`.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    out.sort();
    out
}

/// Runs every file under `fuzz/<kind>/<target>/` through `<target>`'s check; returns how many.
fn replay(kind: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind);
    let mut count = 0;
    for dir in files(&root).into_iter().filter(|p| p.is_dir()) {
        let target = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            checks::TARGETS.iter().any(|(name, _)| *name == target),
            "fuzz/{kind}/{target}/ names no fuzz target"
        );
        for file in files(&dir).into_iter().filter(|p| p.is_file()) {
            let data = std::fs::read(&file).unwrap();
            let result = std::panic::catch_unwind(|| checks::run(&target, &data));
            assert!(
                matches!(result, Ok(true)),
                "{} fails its check",
                file.display()
            );
            count += 1;
        }
    }
    count
}

/// Every input that once crashed a fuzz target still passes.
#[test]
fn crash_inputs_stay_fixed() {
    let count = replay("regressions");
    eprintln!("{count} regression inputs replayed");
}

/// The committed corpora (seeded from tests/vectors, minimised) pass every check.
#[test]
fn committed_corpora_pass() {
    let count = replay("corpus");
    assert!(count > 0, "no corpus under fuzz/corpus/");
}
