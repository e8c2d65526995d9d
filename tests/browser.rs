//! The shared suite and the binding-layer tests, in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod binding;
mod common;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

include!("common/suite.rs");
