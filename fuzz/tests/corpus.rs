//! Replays every committed corpus file through its target's body, without libFuzzer, so a
//! plain `cargo test` (CI) checks the targets still build, run and hold their properties.

use std::path::Path;

#[test]
fn every_committed_corpus_file_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (name, body) in strongroom_fuzz::TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        files.sort();
        assert!(!files.is_empty(), "no corpus for {name}");
        for file in files {
            let data =
                std::fs::read(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
            println!("{name}: {}", file.display());
            body(&data);
        }
    }
}
