//! The shared vector suite, natively.

mod common;

#[test]
fn to_query_matches_activesupport() {
    assert!(common::to_query_matches_activesupport() >= 400);
}

#[test]
fn parse_query_round_trips() {
    assert!(common::parse_query_round_trips() >= 100);
}

#[test]
fn ost_signing_matches_ruby() {
    assert!(common::ost_signing_matches_ruby() >= 100);
}

#[test]
fn ost_webhooks_match_ruby() {
    assert!(common::ost_webhooks_match_ruby() >= 50);
}

#[test]
fn tot_signatures_match_node_crypto() {
    assert!(common::tot_signatures_match_node_crypto() >= 100);
}

#[test]
fn reasons_match_the_seed() {
    assert!(common::reasons_match_the_seed() >= 1000);
}
