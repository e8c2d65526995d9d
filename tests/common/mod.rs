//! The shared suite: known-answer vectors from real peers, run natively (`tests/vectors.rs`), in Node and in
//! headless Chromium (`tests/node.rs`, `tests/browser.rs`). Each vector file names its generator; see
//! `tests/vectors/README.md`.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use kyc_wasm::gates::{reason_is_positive, reason_value};
use kyc_wasm::query::{parse_query, to_query};
use kyc_wasm::secret::Secret;
use kyc_wasm::signing::{sign_ost_request, Credentials};
use kyc_wasm::webhook::ost::{sign_ost_webhook, verify_ost_webhook, OstBody, VerifyOptions};
use kyc_wasm::webhook::tot::{tot_webhook_signature, verify_tot_webhook};
use kyc_wasm::{Limits, Value};
use serde_json::Value as Json;

/// ActiveSupport 6.1 `Hash#to_query` with Ruby-2.4 `CGI.escape` (tests/vectors/gen_rails.rb).
pub const TO_QUERY: &str = include_str!("../vectors/to_query.json");
/// OST request signatures computed by Ruby's OpenSSL::HMAC, as in the seed's `base_params`.
pub const OST_SIGNING: &str = include_str!("../vectors/ost_signing.json");
/// OST webhook bodies and signatures computed by Ruby, as in the seed's webhook section.
pub const OST_WEBHOOKS: &str = include_str!("../vectors/ost_webhooks.json");
/// Token of Trust webhook signatures from node:crypto (tests/vectors/gen_tot_signatures.mjs).
pub const TOT_SIGNATURES: &str = include_str!("../vectors/tot_signatures.json");
/// The seed's own reasonValue / reasonIsPositive, run in Node (tests/vectors/gen_reasons.mjs).
pub const REASONS: &str = include_str!("../vectors/reasons.json");

fn cases(file: &str) -> Vec<Json> {
    let doc: Json = serde_json::from_str(file).unwrap();
    let cases = doc["cases"].as_array().unwrap().clone();
    assert!(!cases.is_empty());
    cases
}

fn value(json: &Json) -> Value {
    serde_json::from_str(&json.to_string()).unwrap()
}

fn s<'a>(case: &'a Json, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {case}"))
}

/// Every `toQuery` vector encodes byte for byte as ActiveSupport did. Returns the count checked.
pub fn to_query_matches_activesupport() -> usize {
    let cases = cases(TO_QUERY);
    for case in &cases {
        let got = to_query(&value(&case["input"])).unwrap();
        assert_eq!(got, s(case, "query"), "case {}", case["name"]);
    }
    cases.len()
}

fn plain_keys(json: &Json) -> bool {
    match json {
        Json::Object(m) => m
            .iter()
            .all(|(k, v)| !k.is_empty() && !k.contains(['[', ']']) && plain_keys(v)),
        // Rack cannot express an array directly inside an array past one level (`a[][][]`).
        Json::Array(a) => a.iter().all(|i| !i.is_array() && plain_keys(i)),
        _ => true,
    }
}

/// Every canonical query whose keys hold no brackets (and no nested arrays) parses back (Rack-style) to parameters that encode to
/// the same text. Returns how many were round-tripped.
pub fn parse_query_round_trips() -> usize {
    let limits = Limits {
        max_depth: 64,
        ..Limits::default()
    };
    let mut checked = 0;
    for case in cases(TO_QUERY).iter().filter(|c| plain_keys(&c["input"])) {
        let query = s(case, "query");
        let parsed = parse_query(query.as_bytes(), &limits)
            .unwrap_or_else(|e| panic!("case {}: {e:?}", case["name"]));
        assert_eq!(to_query(&parsed).unwrap(), query, "case {}", case["name"]);
        checked += 1;
    }
    checked
}

/// Every OST request signature matches Ruby's, string to sign included.
pub fn ost_signing_matches_ruby() -> usize {
    let cases = cases(OST_SIGNING);
    for case in &cases {
        let credentials = Credentials::new(s(case, "api_key"), s(case, "api_secret")).unwrap();
        let timestamp = case["timestamp"].as_i64().unwrap();
        let signed = sign_ost_request(
            s(case, "endpoint"),
            &value(&case["params"]),
            &credentials,
            timestamp,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            signed.string_to_sign,
            s(case, "string_to_sign"),
            "case {}",
            case["name"]
        );
        assert_eq!(
            signed.signature,
            s(case, "signature"),
            "case {}",
            case["name"]
        );
        assert!(signed
            .query
            .ends_with(&format!("&signature={}", signed.signature)));
    }
    cases.len()
}

/// Every OST webhook verifies from its raw body and from parsed params, is signed identically, and fails
/// with any single byte of its signature changed.
pub fn ost_webhooks_match_ruby() -> usize {
    let cases = cases(OST_WEBHOOKS);
    for case in &cases {
        let secrets = [Secret::new(s(case, "secret"), "secret").unwrap()];
        let params = value(&case["params"]);
        let now: i64 = match params.get("request_timestamp") {
            Some(Value::String(t)) => t.parse().unwrap(),
            _ => panic!("request_timestamp missing"),
        };
        let options = VerifyOptions {
            url: s(case, "url"),
            secrets: &secrets,
            tolerance_seconds: Some(300),
            now,
            limits: Limits::default(),
        };
        let body = s(case, "body");
        let verified = verify_ost_webhook(OstBody::Raw(body.as_bytes()), &options).unwrap();
        // Empty arrays and objects vanish on the wire, so compare canonical forms.
        assert_eq!(
            to_query(&verified).unwrap(),
            to_query(&params).unwrap(),
            "case {}",
            case["name"]
        );
        let mut with_signature = params.clone();
        if let Value::Object(entries) = &mut with_signature {
            entries.push(("signature".into(), Value::string(s(case, "signature"))));
        }
        verify_ost_webhook(OstBody::Params(&with_signature), &options).unwrap();
        let signed = sign_ost_webhook(
            &params,
            s(case, "url"),
            &secrets[0],
            now,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            signed.string_to_sign,
            s(case, "string_to_sign"),
            "case {}",
            case["name"]
        );
        assert_eq!(signed.signature, s(case, "signature"));
        let sig = s(case, "signature");
        let flipped: String = sig
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i == 7 {
                    if c == '0' {
                        '1'
                    } else {
                        '0'
                    }
                } else {
                    c
                }
            })
            .collect();
        let tampered = body.replace(sig, &flipped);
        let err = verify_ost_webhook(OstBody::Raw(tampered.as_bytes()), &options).unwrap_err();
        assert_eq!(err.code(), "INVALID_SIGNATURE");
    }
    cases.len()
}

/// Every Token of Trust signature matches node:crypto's, and verifies.
pub fn tot_signatures_match_node_crypto() -> usize {
    let cases = cases(TOT_SIGNATURES);
    for case in &cases {
        let body = hex::decode(s(case, "body_hex")).unwrap();
        let secret = Secret::new(s(case, "secret"), "secret").unwrap();
        let signature = tot_webhook_signature(&body, &secret).unwrap();
        assert_eq!(signature, s(case, "signature"), "case {}", case["name"]);
        let limits = Limits {
            max_body_bytes: usize::MAX,
            ..Limits::default()
        };
        verify_tot_webhook(&body, Some(&signature), &[secret], &limits).unwrap();
    }
    cases.len()
}

/// `reasonValue` and `reasonIsPositive` agree with the seed's JavaScript on every generated input.
pub fn reasons_match_the_seed() -> usize {
    let cases = cases(REASONS);
    for case in &cases {
        let input = if case["missing"].as_bool() == Some(true) {
            None
        } else {
            Some(value(&case["input"]))
        };
        let positive = case["positive"].as_bool().unwrap();
        assert_eq!(reason_is_positive(input.as_ref()), positive, "case {case}");
        let got = reason_value(input.as_ref());
        if case["value_undefined"].as_bool() == Some(true) {
            assert_eq!(got, None, "case {case}");
        } else {
            assert_eq!(got, Some(&value(&case["value"])), "case {case}");
        }
    }
    cases.len()
}
