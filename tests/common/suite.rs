// The test list shared by tests/node.rs and tests/browser.rs (included, so each runner gets its own copy).

#[wasm_bindgen_test]
fn to_query_matches_activesupport() {
    assert!(common::to_query_matches_activesupport() >= 400);
}

#[wasm_bindgen_test]
fn parse_query_round_trips() {
    assert!(common::parse_query_round_trips() >= 100);
}

#[wasm_bindgen_test]
fn ost_signing_matches_ruby() {
    assert!(common::ost_signing_matches_ruby() >= 100);
}

#[wasm_bindgen_test]
fn ost_webhooks_match_ruby() {
    assert!(common::ost_webhooks_match_ruby() >= 50);
}

#[wasm_bindgen_test]
fn tot_signatures_match_node_crypto() {
    assert!(common::tot_signatures_match_node_crypto() >= 100);
}

#[wasm_bindgen_test]
fn reasons_match_the_seed() {
    assert!(common::reasons_match_the_seed() >= 1000);
}

#[wasm_bindgen_test]
fn errors_are_kyc_errors_with_codes() {
    binding::errors_are_kyc_errors_with_codes();
}

#[wasm_bindgen_test]
fn verifies_every_body_form() {
    binding::verifies_every_body_form();
}

#[wasm_bindgen_test]
fn hostile_inputs_leave_the_module_working() {
    binding::hostile_inputs_leave_the_module_working();
}

#[wasm_bindgen_test]
fn tot_webhooks_through_the_binding() {
    binding::tot_webhooks_through_the_binding();
}

#[wasm_bindgen_test]
fn reasons_through_the_binding() {
    binding::reasons_through_the_binding();
}

#[wasm_bindgen_test]
fn decisions_through_the_binding() {
    binding::decisions_through_the_binding();
}
