//! libFuzzer entry point; the body is `strongroom_fuzz::request_body` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| strongroom_fuzz::request_body(data));
