#![no_main]
//! See `kyc_wasm_fuzz::query_roundtrip` (fuzz/src/lib.rs) for what is checked.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kyc_wasm_fuzz::query_roundtrip(data));
