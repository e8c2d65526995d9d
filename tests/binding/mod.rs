//! Tests of the JavaScript binding layer itself, called from Rust with real `JsValue`s.

#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use js_sys::{Array, Object, Reflect, Uint8Array};
use kyc_wasm::wasm::{
    is_kyc_error, reason_is_positive, reason_value, sign_ost_request, sign_ost_webhook, to_query,
    tot_webhook_signature, verify_ost_webhook, verify_tot_webhook,
};
use wasm_bindgen::{JsCast, JsValue};

const URL: &str = "https://webhook.ost.com/test/";
const SECRET: &str = "WEBHOOK_SECRET_KEY";
const SEED_TS: f64 = 1_542_185_198.0;
const SEED_BODY: &str = "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236&name=user_register&request_timestamp=1542185198&signature=34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a&source=web&type=user&version=v1";

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn options(now: f64) -> JsValue {
    obj(&[
        ("url", URL.into()),
        ("secret", SECRET.into()),
        ("now", now.into()),
    ])
}

fn code<E: Into<JsValue>>(result: Result<impl std::fmt::Debug, E>) -> String {
    let err: JsValue = result.map_err(Into::into).unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>(), "not an Error");
    assert!(is_kyc_error(err.clone()));
    let message = Reflect::get(&err, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(!message.contains(SECRET), "secret leaked into {message}");
    Reflect::get(&err, &"code".into())
        .unwrap()
        .as_string()
        .unwrap()
}

fn seed_works() {
    let out = verify_ost_webhook(SEED_BODY.into(), options(SEED_TS)).unwrap();
    assert_eq!(
        Reflect::get(&out, &"id".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "236"
    );
}

pub fn errors_are_kyc_errors_with_codes() {
    let err: JsValue = verify_ost_webhook(SEED_BODY.into(), options(SEED_TS + 301.0))
        .unwrap_err()
        .into();
    assert_eq!(
        Reflect::get(&err, &"name".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "KycError"
    );
    assert_eq!(
        code(verify_ost_webhook(
            SEED_BODY.into(),
            options(SEED_TS + 301.0)
        )),
        "TIMESTAMP_OUT_OF_TOLERANCE"
    );
    assert_eq!(
        code(verify_ost_webhook(
            SEED_BODY.into(),
            options(SEED_TS * 1000.0)
        )),
        "INVALID_ARGUMENT"
    );
    let tampered = SEED_BODY.replace("236", "237");
    assert_eq!(
        code(verify_ost_webhook(tampered.into(), options(SEED_TS))),
        "INVALID_SIGNATURE"
    );
    assert_eq!(
        code(verify_ost_webhook(
            "id=1&request_timestamp=1".into(),
            options(SEED_TS)
        )),
        "MISSING_SIGNATURE"
    );
    assert_eq!(
        code(verify_ost_webhook(SEED_BODY.into(), JsValue::UNDEFINED)),
        "INVALID_ARGUMENT"
    );
    let empty_secret = obj(&[
        ("url", URL.into()),
        ("secret", "".into()),
        ("now", SEED_TS.into()),
    ]);
    assert_eq!(
        code(verify_ost_webhook(SEED_BODY.into(), empty_secret)),
        "INVALID_ARGUMENT"
    );
    let big = obj(&[
        ("url", URL.into()),
        ("secret", SECRET.into()),
        ("now", SEED_TS.into()),
        ("maxBodyBytes", 10.into()),
    ]);
    assert_eq!(
        code(verify_ost_webhook(SEED_BODY.into(), big)),
        "BODY_TOO_LARGE"
    );
    assert_eq!(code(to_query(JsValue::from(42))), "INVALID_ARGUMENT");
    let creds = obj(&[("apiKey", "k".into()), ("apiSecret", SECRET.into())]);
    let ms = obj(&[("timestamp", 1_542_185_198_000.0.into())]);
    let err: JsValue = sign_ost_request("/api/v2/users".into(), Object::new().into(), creds, ms)
        .unwrap_err()
        .into();
    let message = Reflect::get(&err, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(message.contains("milliseconds"), "{message}");
}

pub fn verifies_every_body_form() {
    seed_works();
    let bytes = Uint8Array::from(SEED_BODY.as_bytes());
    verify_ost_webhook(bytes.into(), options(SEED_TS)).unwrap();
    // Parsed by middleware: every value a string.
    let parsed = kyc_wasm::wasm::parse_query(SEED_BODY.into(), JsValue::UNDEFINED).unwrap();
    verify_ost_webhook(parsed.clone(), options(SEED_TS)).unwrap();
    // JSON text: the content type says so (the first byte decides nothing).
    let text = js_sys::JSON::stringify(&parsed).unwrap();
    let as_json = obj(&[
        ("url", URL.into()),
        ("secret", SECRET.into()),
        ("now", SEED_TS.into()),
        ("contentType", "application/json".into()),
    ]);
    verify_ost_webhook(text.clone().into(), as_json).unwrap();
    assert_eq!(
        code(verify_ost_webhook(text.into(), options(SEED_TS))),
        "MISSING_SIGNATURE"
    );
    // Key rotation: any listed secret.
    let list: Array = ["old", SECRET]
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect();
    let rotated = obj(&[
        ("url", URL.into()),
        ("secret", list.into()),
        ("now", SEED_TS.into()),
    ]);
    verify_ost_webhook(SEED_BODY.into(), rotated).unwrap();
    // Signing reproduces the seed body, taking request_timestamp from the params.
    let params = kyc_wasm::wasm::parse_query(SEED_BODY.into(), JsValue::UNDEFINED).unwrap();
    Reflect::delete_property(params.unchecked_ref::<Object>(), &"signature".into()).unwrap();
    let body = sign_ost_webhook(
        params,
        obj(&[("url", URL.into()), ("secret", SECRET.into())]),
    )
    .unwrap();
    assert_eq!(body, SEED_BODY);
}

pub fn hostile_inputs_leave_the_module_working() {
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let c = code(to_query(cyclic.into()));
    assert!(c == "TOO_DEEP" || c == "TOO_MANY_PARAMS", "{c}");
    seed_works();

    let throwing: JsValue =
        js_sys::Function::new_no_args("return { get a() { throw new Error('boom') } }")
            .call0(&JsValue::NULL)
            .unwrap();
    assert_eq!(code(to_query(throwing)), "INVALID_ARGUMENT");
    seed_works();

    let revoked: JsValue = js_sys::Function::new_no_args(
        "const r = Proxy.revocable({}, {}); r.revoke(); return { a: r.proxy }",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    assert_eq!(code(to_query(revoked)), "INVALID_ARGUMENT");
    seed_works();

    let mut deep = json("1");
    for _ in 0..10_000 {
        deep = obj(&[("a", deep)]);
    }
    assert_eq!(code(to_query(deep)), "TOO_DEEP");
    seed_works();

    let symbol: JsValue = js_sys::Function::new_no_args("return { a: Symbol('x') }")
        .call0(&JsValue::NULL)
        .unwrap();
    assert_eq!(code(to_query(symbol)), "INVALID_ARGUMENT");
    assert_eq!(
        code(verify_ost_webhook(JsValue::from(12), options(SEED_TS))),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(verify_tot_webhook(
            json("{}"),
            "x".into(),
            SECRET.into(),
            JsValue::UNDEFINED
        )),
        "INVALID_ARGUMENT"
    );
    seed_works();
}

pub fn tot_webhooks_through_the_binding() {
    let body = r#"{"operation":"isCleared","gates":{"isCleared":"fullMatch"}}"#;
    let sig = tot_webhook_signature(body.into(), SECRET.into()).unwrap();
    let parsed = verify_tot_webhook(
        body.into(),
        sig.clone().into(),
        SECRET.into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(
        Reflect::get(&parsed, &"operation".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "isCleared"
    );
    let bytes = Uint8Array::from(body.as_bytes());
    verify_tot_webhook(
        bytes.into(),
        sig.clone().into(),
        SECRET.into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(
        code(verify_tot_webhook(
            body.into(),
            JsValue::NULL,
            SECRET.into(),
            JsValue::UNDEFINED
        )),
        "MISSING_SIGNATURE"
    );
    assert_eq!(
        code(verify_tot_webhook(
            "{}".into(),
            sig.clone().into(),
            SECRET.into(),
            JsValue::UNDEFINED
        )),
        "INVALID_SIGNATURE"
    );
    let not_json = "not json";
    let sig2 = tot_webhook_signature(not_json.into(), SECRET.into()).unwrap();
    assert_eq!(
        code(verify_tot_webhook(
            not_json.into(),
            sig2.into(),
            SECRET.into(),
            JsValue::UNDEFINED
        )),
        "MALFORMED_BODY"
    );
}

pub fn reasons_through_the_binding() {
    assert!(reason_is_positive("fullMatch".into()).unwrap());
    assert!(!reason_is_positive(JsValue::UNDEFINED).unwrap());
    assert!(!reason_is_positive(json(r#"{"status":"notApplicable"}"#)).unwrap());
    assert!(reason_value(json(r#"{"value":"notApplicable"}"#))
        .unwrap()
        .is_undefined());
    assert_eq!(
        reason_value(json(r#"{"status":"noMatch"}"#))
            .unwrap()
            .as_string()
            .unwrap(),
        "noMatch"
    );
    assert!(reason_value(json("null")).unwrap().is_null());
}

fn decide(content: &str) -> (String, JsValue) {
    let d = kyc_wasm::wasm::tot::evaluate_verification(json(content)).unwrap();
    (
        Reflect::get(&d, &"action".into())
            .unwrap()
            .as_string()
            .unwrap(),
        d,
    )
}

pub fn decisions_through_the_binding() {
    let met = |gates: &str, extra: &str| {
        format!(
            r#"{{"code":"WorkflowService:conditionsMet","details":{{"conditionResult":{{"gates":{gates}}}}}{extra}}}"#
        )
    };
    let cont = r#","continuation":{"params":{"url":"https://tot.example/c"}}"#;
    let message = |d: &JsValue| Reflect::get(d, &"messageCode".into()).unwrap().as_string();
    let (a, d) = decide(&met(r#"{"isNotRequired":true}"#, ""));
    assert_eq!((a.as_str(), message(&d)), ("verified", None));
    let (a, d) = decide(&met(r#"{"isCleared":"fullMatch"}"#, ""));
    assert_eq!(
        (a.as_str(), message(&d).as_deref()),
        ("verified", Some("isCleared"))
    );
    let (a, d) = decide(&met(r#"{"isUpdateRequested":"fullMatch"}"#, cont));
    assert_eq!(
        (a.as_str(), message(&d).as_deref()),
        ("continue", Some("isUpdateRequested"))
    );
    let c = Reflect::get(&d, &"continuation".into()).unwrap();
    assert_eq!(
        Reflect::get(&c, &"disableClose".into()).unwrap().as_bool(),
        Some(true)
    );
    let (a, d) = decide(&met(r#"{"isSubmitted":true}"#, ""));
    assert_eq!(
        (a.as_str(), message(&d).as_deref()),
        ("verified", Some("isSubmitted"))
    );
    assert_eq!(decide(&met("{}", "")).0, "error");
    assert_eq!(
        decide(r#"{"code":"WorkflowService:conditionsMet"}"#).0,
        "error"
    );
    assert_eq!(
        decide(&format!(
            r#"{{"code":"WorkflowService:nextStepIsInteractive"{cont}}}"#
        ))
        .0,
        "continue"
    );
    assert_eq!(decide(r#"{"type":"error","message":"down"}"#).0, "error");
    assert_eq!(decide("{}").0, "error");
    assert_eq!(decide("null").0, "error");
    assert_eq!(decide(r#"{"verificationRequired":false}"#).0, "verified");
    let passed =
        kyc_wasm::wasm::tot::process_person_response(json(r#"{"content":{"type":"error"}}"#))
            .unwrap();
    assert_eq!(
        Reflect::get(&passed, &"verificationRequired".into())
            .unwrap()
            .as_bool(),
        Some(true)
    );
    seed_works();
}
