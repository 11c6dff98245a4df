//! libFuzzer entry point; the body is `strongroom_fuzz::jwt` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| strongroom_fuzz::jwt(data));
