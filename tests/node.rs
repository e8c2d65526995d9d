//! The shared suite and the binding-layer tests, in Node (wasm-bindgen-test-runner's default).
#![cfg(target_arch = "wasm32")]

mod binding;
mod common;

use wasm_bindgen_test::wasm_bindgen_test;

include!("common/suite.rs");
