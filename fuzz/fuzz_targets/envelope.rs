//! libFuzzer entry point; the body is `strongroom_fuzz::envelope` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: strongroom_fuzz::prepare("envelope"),
    |data: &[u8]| strongroom_fuzz::envelope(data)
);
