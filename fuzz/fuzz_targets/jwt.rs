//! libFuzzer entry point; the body is `strongroom_fuzz::jwt` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: strongroom_fuzz::prepare("jwt"),
    |data: &[u8]| strongroom_fuzz::jwt(data)
);
