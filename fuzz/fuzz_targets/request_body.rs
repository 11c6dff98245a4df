//! libFuzzer entry point; the body is `strongroom_fuzz::request_body` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: strongroom_fuzz::prepare("request_body"),
    |data: &[u8]| strongroom_fuzz::request_body(data)
);
