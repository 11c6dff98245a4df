//! libFuzzer entry point; the body is `strongroom_fuzz::import_payload` (see src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: strongroom_fuzz::prepare("import_payload"),
    |data: &[u8]| strongroom_fuzz::import_payload(data)
);
