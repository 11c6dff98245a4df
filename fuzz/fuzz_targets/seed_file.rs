//! libFuzzer entry point; the body is `strongroom_fuzz::seed_file` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: strongroom_fuzz::prepare("seed_file"),
    |data: &[u8]| strongroom_fuzz::seed_file(data)
);
